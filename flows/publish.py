"""Write one document's outputs into `<out>/<doc_id>/`, all or nothing.

Everything is written into a temporary sibling folder first and swapped in with renames, so a run
that dies half-way leaves the previous outputs untouched. A leftover backup from a run killed during
the swap itself is restored at the next run.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

TMP_PREFIX = ".tmp-"
BACKUP_PREFIX = ".old-"


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
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n",
                    encoding="utf-8")


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _jsonable(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def recover(final: Path) -> None:
    """Undo a swap that was interrupted: the backup is the last complete output."""
    backup = final.with_name(BACKUP_PREFIX + final.name)
    if backup.exists():
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
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    backup = final.with_name(BACKUP_PREFIX + final.name)
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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temporaries(out_dir: Path) -> list[Path]:
    """Remove temporary folders left by runs that were killed (their process is gone)."""
    removed = []
    if not out_dir.exists():
        return removed
    for entry in out_dir.iterdir():
        if not (entry.is_dir() and entry.name.startswith(TMP_PREFIX)):
            continue
        pid_text = entry.name[len(TMP_PREFIX):].split("-", 1)[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
