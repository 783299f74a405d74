"""Which SEC XBRL (us-gaap) tags carry each metric, and which capex tags are net figures.

Order matters: when one filing reports a period under several tags of a metric, the first
tag listed wins. Companies switch tags over the years (Amazon's net sales moved from
``SalesRevenueNet`` to ``RevenueFromContractWithCustomerExcludingAssessedTax`` with ASC 606
in 2018; its capex from ``PaymentsToAcquirePropertyPlantAndEquipment`` to
``PaymentsToAcquireProductiveAssets`` after the first quarter of 2017; NVIDIA's capex moved to
``PaymentsToAcquireProductiveAssets`` in fiscal 2022), so every tag of a metric is read and
the periods are joined.
"""

from __future__ import annotations

METRIC_TAGS: dict[str, tuple[str, ...]] = {
    "revenue": (
        "Revenues",
        "RevenueFromContractWithCustomerExcludingAssessedTax",
        "SalesRevenueNet",
        "RevenueFromContractWithCustomerIncludingAssessedTax",
    ),
    "operating_income": ("OperatingIncomeLoss",),
    "capex": (
        "PaymentsToAcquirePropertyPlantAndEquipment",
        "PaymentsToAcquireProductiveAssets",
    ),
}

NET_CAPEX_TAGS: dict[str, frozenset[str]] = {
    # Amazon's cash-flow line under this tag (through Q1 2017) was "Purchases of property and
    # equipment, including internal-use software and website development, net": NET of
    # proceeds and incentives. Later filings re-present those years gross under
    # PaymentsToAcquireProductiveAssets, but a point-in-time table keeps what was first filed.
    "AMZN": frozenset({"PaymentsToAcquirePropertyPlantAndEquipment"}),
}


def net_capex_note(ticker: str, tag: str) -> str:
    """A source prefix saying the value is net, or '' for a gross capex tag."""
    if tag in NET_CAPEX_TAGS.get(ticker, frozenset()):
        return "NET of proceeds/incentives (not gross purchases): "
    return ""
