"""Numbers are numbers: the checks pydantic's lax mode leaves out.

Lax validation turns ``true`` into 1 (``bool`` is an ``int``) and lets ``.nan`` and ``.inf``
through as floats. Config values and component parameters go through :func:`value_problem`
before they are validated, so ``cash: true`` or ``weights: {AMZN: .nan}`` is an error that
names the key instead of a run with a silently wrong number.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping
from typing import Any

import pydantic


def value_problem(value: Any, annotation: Any, *, name: str | None = None) -> str | None:
    """What is wrong with ``value`` for the field ``name`` typed ``annotation`` (None:
    nothing): a boolean where the type holds no ``bool``, or a NaN or infinite float, anywhere
    inside ``value`` (lists and mappings are searched). The text names the place, e.g.
    ``"weights.AMZN: nan is not a finite number; ..."``. A field typed as a pydantic model is
    left to that model's own fields."""
    if _mentions(annotation, lambda t: isinstance(t, type) and issubclass(t, pydantic.BaseModel)):
        return None
    path = (name,) if name else ()
    return _problem(
        value, allows_bool=_mentions(annotation, lambda t: t is bool or t is Any), path=path
    )


def _problem(value: Any, *, allows_bool: bool, path: tuple[str, ...]) -> str | None:
    prefix = ".".join(path) + ": " if path else ""
    if isinstance(value, bool):
        if allows_bool:
            return None
        return f"{prefix}{str(value).lower()} is a yes/no value where a number or text is meant"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{prefix}{value} is not a finite number; write a number such as 0.5"
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        problem = _problem(item, allows_bool=allows_bool, path=(*path, str(key)))
        if problem:
            return problem
    return None


def _mentions(annotation: Any, test: typing.Callable[[Any], bool]) -> bool:
    if test(annotation):
        return True
    return any(_mentions(arg, test) for arg in typing.get_args(annotation))
