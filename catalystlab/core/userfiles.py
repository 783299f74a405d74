"""A path a user gives where a file is meant."""

from __future__ import annotations

from pathlib import Path

from catalystlab.core.errors import BadInputError


def refuse_folder(path: Path, meant: str) -> None:
    """BadInputError (exit 2) when ``path`` is a folder where ``meant`` (e.g. "the config
    file") is expected: the path exists, it is just not a file."""
    if path.is_dir():
        raise BadInputError(f"{path} is a folder; give {meant}.")
