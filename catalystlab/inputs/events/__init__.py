"""Dated catalyst events (layoffs, capex guidance, AI investments), point in time.

Every loader returns the events table of :mod:`catalystlab.core.pit` (``EVENT_COLUMNS``), each row
with the date a trader could first act on it (``known_from``).

- :func:`load_events`: CSV files in the project's schema, e.g. the curated
  ``config/events/*.csv`` (:func:`curated_event_paths`) or a user's own.
- :func:`load_snapshot_events`: the reference snapshot's ``DIR/events/*.csv``.
"""

from catalystlab.inputs.events.snapshot import load_snapshot_events, snapshot_event_paths
from catalystlab.inputs.events.table import (
    CONFIDENCES,
    EVENT_KINDS,
    STATUSES,
    curated_event_paths,
    load_events,
)

__all__ = [
    "CONFIDENCES",
    "EVENT_KINDS",
    "STATUSES",
    "curated_event_paths",
    "load_events",
    "load_snapshot_events",
    "snapshot_event_paths",
]
