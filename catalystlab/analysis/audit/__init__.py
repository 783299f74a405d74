"""Thesis audit: an article's quantitative claims checked against the data a run loaded.

Claims are data: a YAML file (``config/claims/*.yaml``, format in ``config/claims/README.md``)
read by :func:`load_claims`. :func:`audit_claims` measures each claim's check on the
point-in-time fundamentals and events (optionally as of a date) and returns one row per claim
with the measured value, the claimed one and a verdict (see :mod:`.table`);
:func:`verdict_counts` tallies the verdicts for the report's verdict paragraph.
"""

from catalystlab.analysis.audit.loader import load_claims
from catalystlab.analysis.audit.schema import CHECK_KINDS, Claim
from catalystlab.analysis.audit.table import AUDIT_COLUMNS, VERDICTS, audit_claims, verdict_counts

__all__ = [
    "AUDIT_COLUMNS",
    "CHECK_KINDS",
    "VERDICTS",
    "Claim",
    "audit_claims",
    "load_claims",
    "verdict_counts",
]
