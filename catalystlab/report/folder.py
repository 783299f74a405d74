"""A results folder, written atomically: all of it appears, or none of it does.

Files are written into a hidden temporary folder beside the target and renamed into place at
the end; a failure removes the temporary folder. An existing folder is never overwritten:
the run id gets a ``-2``, ``-3``... suffix instead.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def new_run_id(config_name: str, now: dt.datetime) -> str:
    """``<UTC timestamp>_<config name>``, e.g. ``20261125T143000Z_amazon_ai_call``."""
    return f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}_{config_name}"


def write_atomically(
    out_dir: Path, name: str, write: Callable[[Path, str], None], *, now: dt.datetime
) -> Path:
    """Create ``out_dir/<UTC timestamp>_<name>`` (or ``...-2``, ``-3``: never an existing
    folder), filling it with ``write(folder, run_id)`` in a hidden staging folder that is
    renamed into place only when ``write`` returns; on failure nothing is left behind."""
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_abandoned_staging(out_dir)
    run_id = new_run_id(name, now)
    final = out_dir / run_id
    suffix = 2
    while final.exists():
        final = out_dir / f"{run_id}-{suffix}"
        suffix += 1
    staging = out_dir / f".{final.name}.partial-{os.getpid()}"
    staging.mkdir()
    try:
        write(staging, final.name)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def remove_abandoned_staging(out_dir: Path) -> list[Path]:
    """Delete staging folders (``.<run id>.partial-<pid>``) whose process no longer runs: a
    run killed outright (SIGKILL, power loss) could not clean up after itself."""
    removed = []
    for staging in out_dir.glob(".*.partial-*"):
        pid = staging.name.rsplit("-", 1)[-1]
        if staging.is_dir() and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)
            removed.append(staging)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
