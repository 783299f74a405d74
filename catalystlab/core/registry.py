"""Name -> component registries, filled by decorators and by plugin entry points.

A third-party package makes its signals or strategies available by declaring an entry point
in the group ``catalystlab.signals`` or ``catalystlab.strategies`` whose value is the module
that registers them (``my_pkg.my_signal = "my_pkg.my_signal"``); the module is imported the
first time a registry is asked for a name.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

import pydantic

from catalystlab.core.errors import BadInputError
from catalystlab.core.strictvalues import value_problem

T = TypeVar("T")


class Registry(Generic[T]):
    """Components of one kind (``what``: "signal", "strategy") by name."""

    def __init__(self, *, what: str, group: str, builtins: str) -> None:
        self._what = what
        self._group = group
        self._builtins = builtins
        self._items: dict[str, T] = {}
        self._loaded = False

    def add(self, name: str, item: T) -> None:
        """Register ``item`` under ``name``; a second registration of a name is an error."""
        if name in self._items and self._items[name] is not item:
            raise ValueError(f"{self._what} {name!r} is registered twice")
        self._items[name] = item

    def get(self, name: str) -> T:
        """The component called ``name``, or BadInputError listing the known names."""
        self._load()
        if name not in self._items:
            raise BadInputError(
                f"Unknown {self._what} {name!r}; available: {', '.join(sorted(self._items))}. "
                f"Run 'python runner.py list' to see them with their parameters."
            )
        return self._items[name]

    def all(self) -> dict[str, T]:
        """Every registered component, built-ins and plugins, by name."""
        self._load()
        return dict(sorted(self._items.items()))

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        __import__(self._builtins)
        for entry in entry_points(group=self._group):
            try:
                entry.load()
            except Exception as exc:
                raise BadInputError(
                    f"The plugin {entry.name!r} ({entry.value}) in entry-point group "
                    f"{self._group} failed to load: {type(exc).__name__}: {exc}"
                ) from None


P = TypeVar("P")


def build_params(params_type: type[P], values: Mapping[str, Any] | None, *, where: str) -> P:
    """Instantiate the frozen parameter dataclass ``params_type`` from config values.

    Unknown keys and values of the wrong type (a yes/no where a number is meant, NaN or
    infinity included) raise BadInputError naming ``where`` (e.g. "strategy 'margin_amzn'")
    and the accepted parameters.
    """
    values = dict(values or {})
    names = [f.name for f in dataclasses.fields(params_type)]
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise BadInputError(
            f"{where}: unknown parameter(s) {', '.join(unknown)}; accepted: {', '.join(names)}."
        )
    hints = _hints(params_type)
    for name, value in values.items():
        problem = value_problem(value, hints.get(name, typing.Any), name=name)
        if problem:
            raise BadInputError(f"{where}: {problem}.")
    try:
        return _adapter(params_type).validate_python(values)
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors()
        )
        raise BadInputError(f"{where}: {problems}.") from None


@functools.cache
def _adapter(params_type: type) -> pydantic.TypeAdapter:
    """One validator per parameter type: building it costs more than validating with it."""
    return pydantic.TypeAdapter(params_type)


@functools.cache
def _hints(params_type: type) -> dict[str, typing.Any]:
    return typing.get_type_hints(params_type)


def describe_params(params_type: type) -> list[tuple[str, str, str]]:
    """(name, default, type) of each parameter, for ``runner.py list``."""
    rows = []
    for f in dataclasses.fields(params_type):
        if f.default is not dataclasses.MISSING:
            default = repr(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = repr(f.default_factory())
        else:
            default = "(required)"
        rows.append((f.name, default, getattr(f.type, "__name__", str(f.type))))
    return rows
