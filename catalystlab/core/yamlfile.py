"""Reading a YAML file a user wrote, with one clear error for every way it can be wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from catalystlab.core.errors import BadInputError


def read_yaml_mapping(path: Path, *, hint: str) -> dict[str, Any]:
    """The top-level mapping of the YAML file at ``path``.

    Malformed YAML (with its line and column), a value YAML cannot convert (``2025-13-01``)
    and a document that is not a mapping raise BadInputError naming ``path``; ``hint`` says
    what the file should look like.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise BadInputError(f"{path}: malformed YAML{where}: {problem}; {hint}.") from None
    except ValueError as exc:
        raise BadInputError(
            f"{path}: a value cannot be read ({exc}); check dates are real YYYY-MM-DD days."
        ) from None
    if not isinstance(raw, dict):
        raise BadInputError(f"{path}: expected a mapping of settings; {hint}.")
    return raw
