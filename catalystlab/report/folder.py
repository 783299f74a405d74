"""A results folder, written atomically: all of it appears, or none of it does.

Files are written into a hidden temporary folder beside the target and renamed into place at
the end; a failure removes the temporary folder. An existing folder is never overwritten:
the run id gets a ``-2``, ``-3``... suffix instead. The name is reserved by creating the empty
final folder (``mkdir`` fails if it exists), so runs started together into one parent each get
their own name without a check-then-act race; the finished staging folder then replaces its
empty reservation in one rename. A write error (a full disk, a folder made read-only) is a
DataUnavailableError naming the folder, with nothing left behind.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from catalystlab.core.errors import DataUnavailableError


def new_run_id(config_name: str, now: dt.datetime) -> str:
    """``<UTC timestamp>_<config name>``, e.g. ``20261125T143000Z_amazon_ai_call``."""
    return f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}_{config_name}"


def write_atomically(
    out_dir: Path, name: str, write: Callable[[Path, str], None], *, now: dt.datetime
) -> Path:
    """Create ``out_dir/<UTC timestamp>_<name>`` (or ``...-2``, ``-3``: never an existing
    folder), filling it with ``write(folder, run_id)`` in a hidden staging folder that is
    renamed into place only when ``write`` returns; on failure nothing is left behind."""
    final: Path | None = None
    staging: Path | None = None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(out_dir)
        final = _reserve(out_dir, new_run_id(name, now))
        staging = out_dir / f".{final.name}.partial-{os.getpid()}"
        staging.mkdir()
        write(staging, final.name)
        os.rename(staging, final)  # replaces the empty reservation
    except BaseException as error:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if final is not None and final.is_dir() and not any(final.iterdir()):
            final.rmdir()
        if isinstance(error, OSError):
            raise DataUnavailableError(_write_failed(out_dir, error)) from None
        raise
    return final


def _reserve(out_dir: Path, run_id: str) -> Path:
    """Create the empty folder ``run_id`` (or ``run_id-2``, ``-3``...): the first name no
    other run holds. ``mkdir`` is atomic, so two runs never reserve the same name."""
    for suffix in range(1, 10_000):
        final = out_dir / (run_id if suffix == 1 else f"{run_id}-{suffix}")
        try:
            final.mkdir()
        except FileExistsError:
            continue
        return final
    raise FileExistsError(errno.EEXIST, "every results folder name is taken", str(out_dir))


def _write_failed(out_dir: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        fix = "free some space or give another --out folder"
    else:
        fix = "check the folder's permissions or give another --out folder"
    return f"Writing the results under {out_dir} failed ({reason}); nothing was written: {fix}."


def remove_abandoned_staging(out_dir: Path) -> list[Path]:
    """Delete staging folders (``.<run id>.partial-<pid>``) whose process no longer runs, with
    the empty folder that reserved their name: a run killed outright (SIGKILL, power loss)
    could not clean up after itself."""
    removed = []
    for staging in out_dir.glob(".*.partial-*"):
        pid = staging.name.rsplit("-", 1)[-1]
        if staging.is_dir() and pid.isdigit() and not process_running(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)
            removed.append(staging)
            reserved = out_dir / staging.name[1:].rsplit(".partial-", 1)[0]
            if reserved.is_dir() and not any(reserved.iterdir()):
                reserved.rmdir()  # the name the killed run had reserved
    return removed


def process_running(pid: int) -> bool:
    """Whether a process ``pid`` exists (a zombie counts until it is reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
