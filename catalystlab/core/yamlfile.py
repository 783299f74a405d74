"""Reading a YAML file a user wrote, with one clear error for every way it can be wrong.

PyYAML on its own expands aliases without limit (a 1 KB "billion laughs" file grows to
gigabytes once something walks it), recurses once per nesting level (thousands of ``[`` end in
a RecursionError) and keeps the last of duplicated keys silently. The loader here bounds the
file's size, the number of aliases and the nesting depth, and rejects duplicate keys, so any
hostile file is a BadInputError within milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

from catalystlab.core.errors import BadInputError

MAX_BYTES = 1_000_000  # a config or claims file is a few KB
MAX_ALIASES = 100  # a hand-written file reuses an anchor a handful of times
MAX_DEPTH = 50  # configs nest four or five levels
MAX_NODES = 100_000  # values in the document once every alias is expanded


class _LimitExceeded(Exception):
    """A bound of the loader was reached (its message says which)."""


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader with an alias budget, a bound on the expanded size, a depth limit and no
    duplicate keys."""

    def __init__(self, stream: str, max_nodes: int = MAX_NODES) -> None:
        super().__init__(stream)
        self._max_nodes = max_nodes
        self._aliases = 0
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> its values, aliases expanded

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _LimitExceeded(
                    f"more than {MAX_ALIASES} aliases (*name); write the values out instead"
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitExceeded(f"nested more than {MAX_DEPTH} levels deep")
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is not None and id(node) not in self._sizes:
            self._sizes[id(node)] = size = 1 + sum(
                self._sizes.get(id(child), 1) for child in _children(node)
            )
            if size > self._max_nodes and self._aliases:
                raise _LimitExceeded(
                    f"expands to more than {self._max_nodes:,} values (anchors and aliases "
                    "nested in each other); write the values out instead"
                )
            if size > self._max_nodes:
                raise _LimitExceeded(f"holds more than {self._max_nodes:,} values")
        return node

    def fetch_flow_collection_start(self, token_class: type) -> None:
        # The scanner's work grows with the square of the flow depth: stop before it does.
        if self.flow_level >= MAX_DEPTH:
            raise _LimitExceeded(f"brackets nested more than {MAX_DEPTH} levels deep")
        super().fetch_flow_collection_start(token_class)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *base" may be overridden
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the constructor reports it
                continue
            if duplicate:
                line = key_node.start_mark.line + 1
                raise _LimitExceeded(f"the key {key!r} appears twice (again at line {line})")
        return super().construct_mapping(node, deep=deep)


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node.value, list):
        return node.value
    return []


def load_yaml_text(text: str, *, where: str, hint: str, max_bytes: int = MAX_BYTES) -> Any:
    """The YAML document in ``text`` (bounded as described above; at most ``max_bytes``
    characters); every problem is a BadInputError naming ``where`` and ending with ``hint``."""
    return load_yaml_node(text, where=where, hint=hint, max_bytes=max_bytes)[1]


def load_yaml_node(
    text: str, *, where: str, hint: str, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES
) -> tuple[Node | None, Any]:
    """As :func:`load_yaml_text`, with the document's node tree too (for line numbers); at
    most ``max_nodes`` values (keys, values and collections, aliases expanded)."""
    if len(text) > max_bytes:
        raise BadInputError(
            f"{where}: {len(text):,} characters is more than this file may hold "
            f"(at most {max_bytes:,}); {hint}."
        )
    try:
        loader = _BoundedLoader(text, max_nodes)
        try:
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None else None)
        finally:
            loader.dispose()
    except _LimitExceeded as exc:
        raise BadInputError(f"{where}: {exc}; {hint}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise BadInputError(f"{where}: malformed YAML{at}: {problem}; {hint}.") from None
    except RecursionError:
        raise BadInputError(f"{where}: nested too deeply to read; {hint}.") from None
    except (ValueError, OverflowError) as exc:
        raise BadInputError(
            f"{where}: a value cannot be read ({exc}); check dates are real YYYY-MM-DD days."
        ) from None


def read_yaml_mapping(path: Path, *, hint: str) -> dict[str, Any]:
    """The top-level mapping of the YAML file at ``path``.

    Malformed YAML (with its line and column), a value YAML cannot convert (``2025-13-01``),
    a file that is too large, too deeply nested or aliased too often, a duplicated key, and a
    document that is not a mapping raise BadInputError naming ``path``; ``hint`` says what the
    file should look like.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BadInputError(
                f"{path}: {path.stat().st_size:,} bytes is more than a config holds "
                f"(at most {MAX_BYTES:,}); {hint}."
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadInputError(f"{path}: not UTF-8 text; {hint}.") from None
    except OSError as exc:
        raise BadInputError(f"{path}: cannot be read ({exc.strerror}).") from None
    raw = load_yaml_text(text, where=str(path), hint=hint)
    if not isinstance(raw, dict):
        raise BadInputError(f"{path}: expected a mapping of settings; {hint}.")
    return raw
