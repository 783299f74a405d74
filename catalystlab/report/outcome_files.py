"""A computed run kept as data only: JSON for its structure, one parquet file per table.

Nothing read back here runs code. The JSON names no function and no arbitrary class: a value
is a JSON scalar or list, or a tagged object whose tag is one of a fixed set (tuple, dict,
date, timestamp, NumPy scalar or array, table, enum, dataclass, pydantic model, class, signal
or strategy kind). A class is looked up by name only among the project's own packages
(``catalystlab``, ``signals``, ``strategies``) and the parameter classes of registered signal
and strategy kinds, and only a dataclass, enum or pydantic model (or a registered parameter
class) is accepted; a dataclass is filled field by field without calling its constructor. A
signal or strategy kind is kept by its registered name. Tables go through parquet (pyarrow),
which holds values and types, not code.

:func:`save` writes ``outcome.json`` and ``table-<n>.parquet`` into a folder; :func:`load`
reads them back into an object equal to the one saved, or raises :class:`UnreadableOutcome`.
Given the files' sha256, :func:`load` checks the very bytes it parses (a file swapped after
a separate check is not read).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import importlib
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from signals.base import SIGNALS, SignalDefinition
from strategies.base import STRATEGIES, StrategyDefinition

STRUCTURE_FILE = "outcome.json"
MAX_STRUCTURE_BYTES = 50_000_000  # the flagship's is about 0.1 MB: the tables are parquet
_OWN_PACKAGES = ("catalystlab", "signals", "strategies")
_TAG = "$"


class UnreadableOutcome(ValueError):
    """The kept outcome cannot be read back (damaged, or written by other code)."""


def save(value: object, folder: Path) -> None:
    """Write ``value`` (an outcome: dataclasses, pandas tables, plain values) into
    ``folder`` (created) as ``outcome.json`` and its tables as parquet files."""
    folder.mkdir(parents=True, exist_ok=True)
    encoder = _Encoder(folder)
    document = encoder.encode(value)
    (folder / STRUCTURE_FILE).write_text(json.dumps(document), encoding="utf-8")


def load(folder: Path, sha256: Mapping[str, str] | None = None) -> Any:
    """The value :func:`save` wrote into ``folder``; with ``sha256`` (file name -> digest),
    every file read must have the recorded digest."""
    try:
        size = (folder / STRUCTURE_FILE).stat().st_size
        if size > MAX_STRUCTURE_BYTES:
            raise UnreadableOutcome(f"{STRUCTURE_FILE} holds {size:,} bytes, more than a run")
        text = _read(folder, STRUCTURE_FILE, sha256).decode("utf-8")
        return _Decoder(folder, sha256).decode(json.loads(text))
    except UnreadableOutcome:
        raise
    except Exception as error:  # damaged JSON or parquet, a field that no longer exists...
        raise UnreadableOutcome(f"{type(error).__name__}: {error}") from None


def _read(folder: Path, name: str, sha256: Mapping[str, str] | None) -> bytes:
    """The bytes of ``folder/name``, checked against ``sha256[name]`` when given."""
    data = (folder / name).read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256.get(name):
        raise UnreadableOutcome(f"{name} is not the file its manifest records")
    return data


class _Encoder:
    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._tables = 0

    def encode(self, value: object) -> Any:
        if isinstance(value, enum.Enum):  # before str and int: some enums are both
            return {_TAG: "enum", "class": _class_name(type(value)), "name": value.name}
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, (int, float)) and type(value) in (int, float):
            return value
        if isinstance(value, np.generic):
            return {_TAG: "scalar", "dtype": value.dtype.str, "value": value.item()}
        if isinstance(value, np.ndarray):
            return self._array(value)
        if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
            return self._table(value)
        if isinstance(value, pd.Timestamp):
            return {_TAG: "timestamp", "value": value.isoformat(), "unit": value.unit}
        if isinstance(value, dt.datetime):
            return {_TAG: "datetime", "value": value.isoformat()}
        if isinstance(value, dt.date):
            return {_TAG: "date", "value": value.isoformat()}
        if isinstance(value, (StrategyDefinition, SignalDefinition)):
            kind = "strategy" if isinstance(value, StrategyDefinition) else "signal"
            return {_TAG: kind, "name": value.name}
        if isinstance(value, type):
            return {_TAG: "class", "name": _class_name(value)}
        if isinstance(value, BaseModel):
            data = value.model_dump(mode="json")
            private = self.encode(value.__pydantic_private__ or {})
            return {
                _TAG: "model",
                "class": _class_name(type(value)),
                "value": data,
                "private": private,
            }
        if dataclasses.is_dataclass(value):
            fields = {
                f.name: self.encode(getattr(value, f.name)) for f in dataclasses.fields(value)
            }
            return {_TAG: "dataclass", "class": _class_name(type(value)), "fields": fields}
        if isinstance(value, (tuple, list, set, frozenset)):
            kind = {tuple: "tuple", list: "list", set: "set", frozenset: "frozenset"}[type(value)]
            return {_TAG: kind, "items": [self.encode(item) for item in value]}
        if isinstance(value, dict):
            items = [[self.encode(k), self.encode(v)] for k, v in value.items()]
            return {_TAG: "dict", "items": items}
        raise TypeError(f"cannot keep a {type(value).__name__} as data")

    def _array(self, array: np.ndarray) -> dict[str, Any]:
        if array.dtype.kind not in "biufMm":
            return {_TAG: "objects", "items": [self.encode(v) for v in array.tolist()]}
        values = array.astype("int64").tolist() if array.dtype.kind in "Mm" else array.tolist()
        return {_TAG: "array", "dtype": array.dtype.str, "shape": array.shape, "values": values}

    def _table(self, table: pd.DataFrame | pd.Series | pd.Index) -> dict[str, Any]:
        """A frame as parquet with its columns renamed to their positions (parquet needs text
        names; the real ones are kept in the JSON); a series as a one-column frame; an
        index as the index of a frame without columns."""
        kind = type(table).__name__
        if isinstance(table, pd.Index):
            frame, name = pd.DataFrame(index=table), None
        elif isinstance(table, pd.Series):
            frame, name = table.to_frame("0"), self.encode(table.name)
        else:
            frame, name = table.set_axis([str(i) for i in range(table.shape[1])], axis=1), None
        file = f"table-{self._tables}.parquet"
        self._tables += 1
        frame.to_parquet(self._folder / file, engine="pyarrow")
        document = {
            _TAG: "table",
            "kind": kind,
            "file": file,
            "name": name,
            "dtypes": {str(c): str(frame[c].dtype) for c in frame.columns},
            "index_dtype": str(frame.index.dtype),
            "index_freq": getattr(frame.index, "freqstr", None),
        }
        if isinstance(table, pd.DataFrame):
            document["columns"] = self._array(np.asarray(table.columns, dtype=object))
            document["columns_name"] = self.encode(table.columns.name)
            document["columns_dtype"] = str(table.columns.dtype)
        return document


class _Decoder:
    def __init__(self, folder: Path, sha256: Mapping[str, str] | None = None) -> None:
        self._folder = folder
        self._sha256 = sha256

    def decode(self, value: Any) -> Any:
        if not isinstance(value, (dict, list)):
            return value
        if isinstance(value, list) or _TAG not in value:
            raise UnreadableOutcome("an untagged list or object")
        tag = value[_TAG]
        if tag in ("tuple", "list", "set", "frozenset"):
            items = [self.decode(item) for item in value["items"]]
            return {"tuple": tuple, "list": list, "set": set, "frozenset": frozenset}[tag](items)
        if tag == "dict":
            return {self.decode(k): self.decode(v) for k, v in value["items"]}
        if tag == "scalar":
            return np.dtype(_plain_dtype(value["dtype"])).type(value["value"])
        if tag in ("array", "objects"):
            return self._array(value)
        if tag == "table":
            return self._table(value)
        if tag == "timestamp":
            return pd.Timestamp(value["value"]).as_unit(value["unit"])
        if tag == "datetime":
            return dt.datetime.fromisoformat(value["value"])
        if tag == "date":
            return dt.date.fromisoformat(value["value"])
        if tag == "strategy":
            return STRATEGIES.get(value["name"])
        if tag == "signal":
            return SIGNALS.get(value["name"])
        if tag == "class":
            return _class(value["name"])
        if tag == "enum":
            return _class(value["class"], enum.Enum)[value["name"]]
        if tag == "model":
            return self._model(value)
        if tag == "dataclass":
            return self._dataclass(value)
        raise UnreadableOutcome(f"unknown tag {tag!r}")

    def _model(self, value: dict[str, Any]) -> BaseModel:
        """A pydantic model validated from its fields, its private attributes set again."""
        cls = _class(value["class"], BaseModel)
        model = cls.model_validate(value["value"])
        for name, attribute in self.decode(value["private"]).items():
            if name not in cls.__private_attributes__:
                raise UnreadableOutcome(f"{value['class']} has no attribute {name!r}")
            setattr(model, name, attribute)
        return model

    def _dataclass(self, value: dict[str, Any]) -> object:
        cls = _class(value["class"])
        if not dataclasses.is_dataclass(cls):
            raise UnreadableOutcome(f"{value['class']} is not a dataclass")
        names = {f.name for f in dataclasses.fields(cls)}
        if set(value["fields"]) != names:
            raise UnreadableOutcome(f"the fields of {value['class']} have changed")
        instance = object.__new__(cls)
        for name, field in value["fields"].items():
            object.__setattr__(instance, name, self.decode(field))
        return instance

    def _array(self, value: dict[str, Any]) -> np.ndarray:
        if value[_TAG] == "objects":
            items = [self.decode(item) for item in value["items"]]
            array = np.empty(len(items), dtype=object)
            array[:] = items
            return array
        dtype = np.dtype(_plain_dtype(value["dtype"]))
        if dtype.kind in "Mm":
            return np.asarray(value["values"], dtype="int64").view(dtype).reshape(value["shape"])
        return np.asarray(value["values"], dtype=dtype).reshape(value["shape"])

    def _table(self, value: dict[str, Any]) -> pd.DataFrame | pd.Series | pd.Index:
        path = self._folder / value["file"]
        if path.parent != self._folder or path.suffix != ".parquet":
            raise UnreadableOutcome(f"a table outside the folder: {value['file']!r}")
        data = _read(self._folder, path.name, self._sha256)
        frame = pd.read_parquet(io.BytesIO(data), engine="pyarrow")
        # parquet has no seconds unit and reads text back as pandas' string type: each
        # column and the index get their own type back
        changed = {c: t for c, t in value["dtypes"].items() if str(frame[c].dtype) != t}
        if changed:
            frame = frame.astype(changed)
        if str(frame.index.dtype) != value["index_dtype"]:
            frame.index = frame.index.astype(value["index_dtype"])
        if value["index_freq"] is not None:  # parquet keeps a calendar's dates, not its rule
            frame.index = pd.DatetimeIndex(frame.index, freq=value["index_freq"])
        if value["kind"].endswith("Index"):
            return frame.index
        if value["kind"] == "Series":
            return frame["0"].rename(self.decode(value["name"]))
        columns = pd.Index(
            self._array(value["columns"]),
            dtype=value["columns_dtype"],
            name=self.decode(value["columns_name"]),
        )
        return frame.set_axis(columns, axis=1)


def _plain_dtype(text: str) -> str:
    """A NumPy dtype string of numbers, booleans or datetimes (never ``object``)."""
    if np.dtype(text).kind not in "biufMm":
        raise UnreadableOutcome(f"dtype {text!r} is not a number")
    return text


def _class_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _class(name: str, base: type | None = None) -> type:
    """The class ``module:qualname`` of the project's packages or a registered parameter
    class, if it is a dataclass, enum or pydantic model (of ``base`` when given)."""
    module, _, qualname = name.partition(":")
    found: Any = None
    if _own(module):
        found = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part, None)
        if not (isinstance(found, type) and _own(found.__module__)):
            found = None  # a third-party class reached through a module's imports
    else:
        registered = [d.params_type for d in (*SIGNALS.all().values(), *STRATEGIES.all().values())]
        found = next((c for c in registered if _class_name(c) == name), None)
    allowed = (
        isinstance(found, type)
        and (dataclasses.is_dataclass(found) or issubclass(found, (enum.Enum, BaseModel)))
        and (base is None or issubclass(found, base))
    )
    if not allowed:
        raise UnreadableOutcome(f"{name!r} is not a data class of the project")
    return found


def _own(module: str) -> bool:
    """Whether ``module`` is one of the project's packages or a module in one."""
    return module.partition(".")[0] in _OWN_PACKAGES
