"""A path a user gives where a file, or a folder, is meant."""

from __future__ import annotations

from pathlib import Path

from catalystlab.core.errors import BadInputError


def refuse_folder(path: Path, meant: str) -> None:
    """BadInputError (exit 2) when ``path`` is a folder, or another thing that is not a
    regular file (a device such as /dev/null, a pipe, a socket), where ``meant`` (e.g. "the
    config file") is expected: the path exists, it is just not a file."""
    if path.is_dir():
        raise BadInputError(f"{path} is a folder; give {meant}.")
    if path.exists() and not path.is_file():
        raise BadInputError(f"{path} is not a regular file (a device or a pipe); give {meant}.")


def require_folder(path: Path, named: str, *, may_be_missing: bool = False) -> None:
    """BadInputError (exit 2) naming ``named`` (e.g. "--data-dir DIR") when ``path`` is a file
    (or lies under one) where a folder is meant, or is missing unless ``may_be_missing``."""
    for part in (path, *path.parents):
        if part.exists() and not part.is_dir():
            where = named if part == path else f"{named}: {part}"
            raise BadInputError(f"{where} is a file, not a folder; give a folder.")
    if not may_be_missing and not path.is_dir():
        raise BadInputError(f"{named}: no such folder.")
