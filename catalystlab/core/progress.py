"""Progress reporting without tying the core to a terminal library."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    """Shows progress over ``items`` and passes on notes, keeping them in ``notes``."""

    notes: list[str]

    def track(self, items: Iterable[T], *, description: str, total: int) -> Iterator[T]: ...

    def note(self, message: str) -> None: ...


class SilentProgress:
    """Progress that shows nothing and collects notes (for the Python API and tests)."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def track(self, items: Iterable[T], *, description: str, total: int) -> Iterator[T]:
        yield from items

    def note(self, message: str) -> None:
        self.notes.append(message)
