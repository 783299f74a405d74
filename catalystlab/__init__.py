"""catalystlab: put a published stock call to the test with point-in-time catalyst backtests.

The public API (see :mod:`catalystlab.api` and the README)::

    import catalystlab as cl
    result = cl.run("config/amazon_ai_call.yaml", data_dir="../shared/data", offline=True,
                    write=False)
    result.call.out_of_sample      # the call's legs after the call, fractions

The names are imported on first use, so that ``import catalystlab.core...`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "run": "catalystlab.api",
    "events": "catalystlab.api",
    "compare": "catalystlab.api",
    "init": "catalystlab.api",
    "init_from_article": "catalystlab.api",
    "read_article": "catalystlab.api",
    "validate": "catalystlab.api",
    "data_fetch": "catalystlab.api",
    "data_status": "catalystlab.api",
    "data_import": "catalystlab.api",
    "data_clear": "catalystlab.api",
    "RunResult": "catalystlab.api",
    "EventsResult": "catalystlab.api",
    "CompareResult": "catalystlab.api",
    "ledger": "catalystlab.api",
    "LedgerRun": "catalystlab.api",
    "sweep": "catalystlab.api",
    "SweepResult": "catalystlab.api",
    "load_config": "catalystlab.config",
    "RunConfig": "catalystlab.config",
    "CatalystError": "catalystlab.core.errors",
    "BadInputError": "catalystlab.core.errors",
    "DataUnavailableError": "catalystlab.core.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'catalystlab' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)


def __dir__() -> list[str]:
    return sorted(__all__)
