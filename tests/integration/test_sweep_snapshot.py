"""A small sweep of the margin and layoff rules on the real snapshot: the README's config with
a smaller grid, locally and on a Dask LocalCluster, with identical trial tables, and the
confirmed trials' backtrader numbers equal to the screen's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import catalystlab as cl
from catalystlab.config import load_config

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def _small_config() -> dict:
    config = load_config(REPO / "config" / "sweep_catalysts.yaml").model_dump(mode="json")
    config["sweep"]["grid"] = {
        "margin.threshold": [0.0, 0.05],
        "layoffs.hold_days": [20, 60],
        "layoffs.min_headcount": [0, 5000],
    }
    config["sweep"]["top_k"] = 2
    return config


def test_small_sweep_on_the_snapshot_is_the_same_locally_and_on_dask(shared_data):
    distributed = pytest.importorskip("distributed")
    config = _small_config()
    local = cl.sweep(config, data_dir=shared_data, offline=True, write=False, workers=2)
    table = local.trials
    assert len(table) == 4 * (2 + 4)
    assert set(table["ticker"]) == {"AMZN", "MSFT", "META", "GOOGL"}
    assert table["sharpe"].notna().sum() >= 12
    assert local.summary["n_trials"] == 24
    for trial, row in local.confirmed.iterrows():
        assert row["screen_sharpe"] == pytest.approx(row["sharpe"], rel=1e-9), trial
        assert row["n_trials"] == 24
    curves = [tuple(run.result.returns) for run in local.outcome.confirmed_runs]
    assert len(set(curves)) == len(curves)  # distinct strategies, never one confirmed twice
    merged = [t for rest in local.outcome.merged.values() for t in rest]
    for trial in merged:  # a merged trial ties its leader's screen metrics
        leader = next(k for k, rest in local.outcome.merged.items() if trial in rest)
        assert table.loc[trial, "sharpe"] == table.loc[leader, "sharpe"]
    assert local.outcome.calendar[0] >= pd.Timestamp("2013-01-02")
    assert len(local.folds) >= 8
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        on_dask = cl.sweep(
            config,
            data_dir=shared_data,
            offline=True,
            write=False,
            executor="dask",
            scheduler=cluster.scheduler_address,
        )
    pd.testing.assert_frame_equal(on_dask.trials, table, check_exact=True)
    pd.testing.assert_frame_equal(on_dask.folds, local.folds, check_exact=True)
    pd.testing.assert_frame_equal(on_dask.confirmed, local.confirmed, check_exact=True)
