"""Reading a claims file: YAML in, validated ``Claim`` objects out, or one BadInputError
that names the file, the claim and the fix for every problem found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic

from catalystlab.analysis.audit.schema import CHECK_KINDS, Claim, ClaimsFile
from catalystlab.core.errors import BadInputError
from catalystlab.core.userfiles import refuse_folder
from catalystlab.core.yamlfile import read_yaml_mapping

_DOCS = "see config/claims/README.md"


def load_claims(path: str | Path) -> tuple[Claim, ...]:
    """The claims of a YAML claims file, in file order.

    Raises BadInputError for a missing file, malformed YAML, and any claim with an unknown
    key, a missing field, an unknown check kind or a bad value; the message names the file,
    the claim id (or its position when it has none) and the fix.
    """
    path = Path(path)
    refuse_folder(path, "the claims YAML file (e.g. config/claims/amazon_ai_call.yaml)")
    if not path.is_file():
        raise BadInputError(
            f"Claims file {path} does not exist; give the path of a claims YAML file, "
            "e.g. config/claims/amazon_ai_call.yaml."
        )
    raw = read_yaml_mapping(path, hint=f"the top level is a 'claims:' list ({_DOCS})")
    try:
        return ClaimsFile.model_validate(raw).claims
    except pydantic.ValidationError as exc:
        problems = [_explain(error, raw) for error in exc.errors()]
        raise BadInputError(f"{path}: " + "; ".join(problems) + ".") from None


def _explain(error: Any, raw: dict) -> str:
    """One problem as 'claim <id>: <key>: <what is wrong and how to fix it>'."""
    loc = list(error["loc"])
    claim = ""
    if len(loc) >= 2 and loc[0] == "claims" and isinstance(loc[1], int):
        claim = _claim_name(raw, loc[1]) + ": "
        loc = loc[2:]
    elif loc[:1] == ["claims"]:
        loc = loc[1:] or ["claims"]
    if len(loc) >= 2 and loc[0] == "check" and loc[1] in CHECK_KINDS:
        del loc[1]  # pydantic adds the union member's tag; the user never wrote it
    where = ".".join(str(part) for part in loc)
    return claim + _problem(error, where)


def _claim_name(raw: dict, index: int) -> str:
    claims = raw.get("claims")
    entry = claims[index] if isinstance(claims, list) and index < len(claims) else None
    claim_id = entry.get("id") if isinstance(entry, dict) else None
    return f"claim {claim_id!r}" if isinstance(claim_id, str) else f"claim #{index + 1} (no id)"


def _problem(error: Any, where: str) -> str:
    kind, message = error["type"], error["msg"]
    at = f"{where}: " if where else ""
    if kind == "extra_forbidden":
        return f"unknown key {where!r}; remove it or correct its spelling ({_DOCS})"
    if kind == "missing":
        return f"{where} is missing; add it ({_DOCS})"
    if kind == "union_tag_invalid":
        tag = error["ctx"]["tag"]
        return f"check kind {tag!r} is unknown; use one of {', '.join(CHECK_KINDS)}"
    if kind == "union_tag_not_found":
        return f"{where} has no kind; add kind: one of {', '.join(CHECK_KINDS)}"
    if kind == "literal_error":
        return f"{where}: {error['input']!r} is not allowed; {message.lower()}"
    if kind == "value_error":
        return at + message.removeprefix("Value error, ")
    return f"{at}{message.lower()} (got {error.get('input')!r}); {_DOCS}"
