"""Is a process still there? Shared by the output folder's stale-temporary sweep and the local Prefect
server's lease, and kept free of heavy imports so `whitepaper tables` starts fast."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """A process with this id exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
