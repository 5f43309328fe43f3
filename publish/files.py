"""Write one document's outputs into `<out>/<doc_id>/`, all or nothing.

Everything is written into a temporary sibling folder first and swapped in with renames, so a run
that dies half-way leaves the previous outputs untouched. Temporary folders and backups carry the
writing process's id (`.tmp-<pid>-<name>-*`, `.old-<pid>-<name>`): the next run removes the temporary
folders of dead processes and restores the backup of a swap that was killed between its two renames.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from publish.processes import pid_alive

TMP_PREFIX = ".tmp-"
BACKUP_PREFIX = ".old-"
# Fault-injection for tests only: seconds to wait after the temporary folder is complete and before
# the swap, so a test can kill the run at the worst moment deterministically. Unset in normal use.
PAUSE_ENV = "WHITEPAPER_TEST_PUBLISH_PAUSE"


def _jsonable(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    return value


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def write_json(data, path: Path) -> None:
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n", encoding="utf-8"
    )


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _jsonable(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _owner_pid(entry: Path, prefix: str) -> int | None:
    """The process id in `<prefix><pid>-<name>...`, or None when the name has none."""
    pid_text = entry.name[len(prefix) :].split("-", 1)[0]
    return int(pid_text) if pid_text.isdigit() else None


def _backup_name(final: Path) -> Path:
    return final.with_name(f"{BACKUP_PREFIX}{os.getpid()}-{final.name}")


def _stale(entry: Path, prefix: str) -> bool:
    pid = _owner_pid(entry, prefix)
    return pid is not None and pid != os.getpid() and not pid_alive(pid)


def recover(final: Path) -> None:
    """Undo a swap that was interrupted between its two renames (the run that did it is gone): the
    backup `.old-<pid>-<name>` is the last complete output; restore it, or drop it if a newer one exists."""
    for backup in sorted(final.parent.iterdir()):
        if not (backup.name.startswith(BACKUP_PREFIX) and backup.is_dir() and _stale(backup, BACKUP_PREFIX)):
            continue
        if backup.name[len(BACKUP_PREFIX) :].split("-", 1)[-1] != final.name:
            continue  # ".old-<pid>-a-b" belongs to "a-b", not to "b"
        if final.exists():
            shutil.rmtree(backup)
        else:
            backup.rename(final)


@contextmanager
def atomic_dir(final: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces `final`, on error it is removed."""
    final.parent.mkdir(parents=True, exist_ok=True)
    recover(final)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-{final.name}-", dir=final.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; outputs are for everyone who can read the folder
    try:
        yield tmp
        pause = float(os.environ.get(PAUSE_ENV) or 0)
        if pause > 0:
            time.sleep(pause)
    except BaseException:  # an error, Ctrl-C or SIGTERM before the swap: the previous outputs stay
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    backup = _backup_name(final)
    if final.exists():
        final.rename(backup)
    tmp.rename(final)
    if backup.exists():
        shutil.rmtree(backup)
    # Make the folder's new entry durable before reporting success.
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    """Replace one file whole: written beside it under a temporary name, then renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clean_stale_temporaries(out_dir: Path) -> list[Path]:
    """Tidy up after runs that were killed (their process is gone): remove their temporary folders and
    restore the backup of a swap they left half-done. Returns the entries dealt with."""
    handled = []
    if not out_dir.exists():
        return handled
    for entry in sorted(out_dir.iterdir()):
        if not entry.is_dir():
            continue
        if entry.name.startswith(TMP_PREFIX) and _stale(entry, TMP_PREFIX):
            shutil.rmtree(entry, ignore_errors=True)
            handled.append(entry)
        elif entry.name.startswith(BACKUP_PREFIX) and _stale(entry, BACKUP_PREFIX):
            final = out_dir / entry.name[len(BACKUP_PREFIX) :].split("-", 1)[1]
            recover(final)
            handled.append(entry)
    return handled
