"""Plain-language sentences from the run's statistics: the SPA test, the event study, and
the overall verdict that puts the call, the catalyst rules and the market's reaction side by
side with how sure each can be.

Every number a sentence formats is checked first (:func:`_known`): a NaN never reaches the
prose; the sentence says what could not be measured instead.
"""

from __future__ import annotations

import math

import pandas as pd

from catalystlab.analysis.audit import verdict_counts
from catalystlab.analysis.call.assess import CallUncertainty
from catalystlab.analysis.call.legs import CallResult
from catalystlab.analysis.call.stance import Stance
from catalystlab.analysis.stats.spa import SPAResult
from catalystlab.pipeline.outcome import RunOutcome
from catalystlab.pipeline.ranking import RunComparison
from catalystlab.pipeline.study import EventStudyRun
from catalystlab.report.formatting import counted, format_p, p_equals, percentile_text, psr_label

_HEADLINE_WINDOW = "[0,+5]"


def _known(*values: object) -> bool:
    """True when every value is a finite number (what a sentence may format)."""
    try:
        return all(math.isfinite(float(v)) for v in values)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def strategies_noun(outcome: RunOutcome) -> str:
    """What the prose calls the run's strategies: a config's "rules", or a user's own
    cerebro's "strategies" (``outcome.user_strategies``)."""
    return "strategies" if outcome.user_strategies else "rules"


def fills_note(outcome: RunOutcome) -> str:
    """Where the run's fills happen, for a page's heading line."""
    if outcome.user_strategies:
        return (
            "the benchmark and the call's legs fill at the next open; the strategies fill as "
            "their own broker fills them"
        )
    return "fills at the next open"


def spa_sentence(comparison: RunComparison, *, noun: str = "rules") -> str:
    """What Hansen's SPA tests say about the catalyst strategies against buy-and-hold;
    ``noun`` names the strategies (:func:`strategies_noun`)."""
    if not comparison.spa:
        return f"No SPA test: {comparison.spa_skipped}."
    return " ".join(_one_spa(spa, noun=noun) for spa in comparison.spa)


_SINGULAR = {"rules": "rule", "strategies": "strategy"}


def _one_spa(spa: SPAResult, *, noun: str = "rules") -> str:
    if not _known(spa.pvalue_consistent, spa.pvalue_lower, spa.pvalue_upper):
        return (
            f"Hansen's SPA test of {', '.join(spa.strategies)} against {spa.benchmark} "
            "gave no p-value (too few days with returns)."
        )
    same = (
        f" {', '.join(spa.identical)} returned exactly what {spa.benchmark} did every day "
        f"({'it is' if len(spa.identical) == 1 else 'they are'} the same series), so "
        f"{'it cannot beat it' if len(spa.identical) == 1 else 'they cannot beat it'}."
        if spa.identical
        else ""
    )
    if len(spa.identical) == len(spa.strategies):
        return (
            f"Hansen's SPA test of {', '.join(spa.strategies)} against {spa.benchmark}: "
            f"nothing to test.{same}"
        )
    if spa.better:
        outcome = f"it finds {', '.join(spa.better)} better at the {spa.level:.0%} level"
    elif spa.pvalue_consistent < spa.level:
        outcome = (
            f"the {noun} as a set beat it at the {spa.level:.0%} level, though no single one "
            "clears the test's critical value"
        )
    elif len(spa.strategies) == 1:
        outcome = "it does not beat it"
    else:
        outcome = "none of them beats it once the search over all of them is accounted for"
    tested = counted(len(spa.strategies), _SINGULAR[noun], noun)
    return (
        f"Hansen's SPA test of {tested} ({', '.join(spa.strategies)}) "
        f"against {spa.benchmark}: consistent p-value {format_p(spa.pvalue_consistent)} "
        f"(lower {format_p(spa.pvalue_lower)}, upper {format_p(spa.pvalue_upper)}); "
        f"{outcome}.{same}"
    )


def event_study_table(study: EventStudyRun) -> pd.DataFrame:
    """Per group (company, pooled) and window: events, mean CAR, and the tests' p-values."""
    summary = study.result.summary
    table = pd.DataFrame(
        {
            "group": summary["group"],
            "window": summary["window"],
            "n": summary["n_events"],
            "mean_car": summary["mean_car"],
            "t_pvalue": summary["t_pvalue"],
            "bmp_pvalue": summary["bmp_pvalue"],
            "placebo_pvalue": summary["placebo_pvalue"],
        }
    )
    return table.set_index(table["group"] + " " + table["window"]).drop(columns=["group", "window"])


def event_study_sentence(study: EventStudyRun) -> str:
    """The pooled reaction in the headline window, and whether it stands out from chance."""
    summary = study.result.summary
    pooled = summary[(summary["group"] == "pooled") & (summary["window"] == _HEADLINE_WINDOW)]
    kinds = " and ".join(study.settings.kinds)
    absent = (
        f" The events file has no {kinds} event for {', '.join(study.without_events)}."
        if study.without_events
        else ""
    )
    if pooled.empty:
        return f"The event study measured no event in its headline window.{absent}"
    row = pooled.iloc[0]
    if not _known(row["mean_car"], row["t_pvalue"], row["placebo_pvalue"]):
        return (
            f"Around {int(row['n_events'])} {kinds} announcements the event study could not "
            f"measure a reaction over days {_HEADLINE_WINDOW} (too few events or days).{absent}"
        )
    significant = row["placebo_pvalue"] < 0.05 and row["t_pvalue"] < 0.05
    return (
        f"Around {int(row['n_events'])} {kinds} announcements, the stocks moved "
        f"{row['mean_car']:+.1%} beyond what the market explains over days {_HEADLINE_WINDOW} "
        f"(t-test {p_equals(row['t_pvalue'])}, placebo {p_equals(row['placebo_pvalue'])}): "
        + (
            "a reaction that random days rarely produce."
            if significant
            else "not distinguishable from what random days produce."
        )
        + absent
    )


def ranking_sentence(comparison: RunComparison) -> str:
    """Which strategy or benchmark ranks first by Deflated Sharpe Ratio."""
    top = comparison.table.sort_values("rank").iloc[0]
    if not _known(top["sharpe"], top["dsr"], top["psr"]):
        return (
            f"Ranked by Deflated Sharpe Ratio, {top['label']} comes first, but its Sharpe "
            "ratio cannot be measured (no day with a return)."
        )
    return (
        "Ranked by Deflated Sharpe Ratio over the whole run "
        f"({counted(comparison.n_trials, 'searched variant')} counted), {top['label']} comes "
        f"first (Sharpe {top['sharpe']:.2f}, DSR "
        f"{top['dsr']:.2f}, {psr_label(comparison.benchmark)} {top['psr']:.2f})."
    )


def catalyst_sentence(outcome: RunOutcome) -> str:
    """How the best catalyst rule ranked against the benchmark and buy-and-hold."""
    table = outcome.comparison.table
    catalysts = [
        sid
        for sid, run in outcome.strategies.items()
        if run.plan.definition.signal_tickers is not None
    ]
    left_out = set(outcome.comparison.without_data)
    blind = (
        f" Left out for lack of data: {', '.join(sorted(left_out))} (never invested, neither "
        "counted as a trial nor tested)."
        if left_out
        else ""
    )
    catalysts = [sid for sid in catalysts if sid not in left_out]
    if not catalysts:
        return blind.strip()
    best = table.loc[catalysts].sort_values("rank").index[0]
    row = table.loc[best]
    bench = outcome.config.benchmark
    numbers = ("sharpe", "dsr", "psr", "excess_return", "excess_return_lo", "excess_return_hi")
    if not _known(*(row[c] for c in numbers)):
        return (
            f"Of {len(catalysts)} catalyst rules, the best ranked is {row['label']}, whose "
            "Sharpe ratio and excess over the benchmark cannot be measured (it never held a "
            f"position or has too few returns).{blind}"
        )
    luck = (
        "more than the best of that many zero-Sharpe variants would reach by luck"
        if row["dsr"] >= 0.95
        else "a Sharpe ratio the best of that many zero-Sharpe variants could reach by luck"
    )
    return (
        f"Of {len(catalysts)} catalyst rules, the best ranked is {row['label']} "
        f"(Sharpe {row['sharpe']:.2f}, DSR {row['dsr']:.2f}: {luck}; but the probability "
        f"that its Sharpe beats {bench}'s is {row['psr']:.2f}, and its mean excess over "
        f"{bench} is {row['excess_return']:+.1%} a year, "
        f"{outcome.config.statistics.confidence:.0%} interval {row['excess_return_lo']:+.1%} "
        f"to {row['excess_return_hi']:+.1%}).{blind}"
    )


def _points(excess: float) -> str:
    """A difference of total returns (fractions) in percentage points, sign dropped (the
    sentence says which way): 0.099 -> "9.9 points", never "9.9%" (a ratio)."""
    return f"{100 * abs(excess):.1f} points"


def call_headline(result: CallResult) -> str:
    """The call's answer in one line: the stock's and its first benchmark's return since the
    entry, by how many percentage points the call was right or wrong, and whether the
    bootstrap interval of its excess includes zero ("within what luck explains"). Returns
    are the out-of-sample table's (engine fills, costs)."""
    timing = result.timing
    if not timing.evaluable:
        return f"The call on {result.ticker} cannot be evaluated: {timing.reason}."
    oos = result.out_of_sample
    call_id = oos.index[0]
    legs = list(oos.index[1:])
    if not legs:
        own = oos.loc[call_id, "total_return"]
        if not _known(own):
            return f"{result.ticker} since the call: not measurable (too few prices)."
        return f"{result.ticker} {own:+.1%} since the call."
    leg = legs[0]
    own, other = oos.loc[call_id, "total_return"], oos.loc[leg, "total_return"]
    excess = oos.loc[leg, "excess_total_return"]
    label = result.labels.get(leg, leg)
    if not _known(own, other, excess):
        return f"{result.ticker} against {label} since the call: not measurable (too few prices)."
    points = _points(excess)
    if result.stance is Stance.SELL:
        how = f"the sell call was {'right' if excess > 0 else 'wrong'} by {points}"
    else:
        how = f"{'beat it' if excess > 0 else 'trailed'} by {points}"
    line = f"{result.ticker} {own:+.1%} vs {label} {other:+.1%} since the call: {how}"
    interval = result.excess_interval
    if leg in interval.index and _known(interval.loc[leg, "low"], interval.loc[leg, "high"]):
        luck = interval.loc[leg, "low"] < 0 < interval.loc[leg, "high"]
        line += "; within what luck explains" if luck else "; more than luck explains"
    return line + "."


def ranking_headline(table: pd.DataFrame) -> str:
    """A ranked ``table`` (a run's without a call, or several runs') in one line: what
    ranks first by DSR, of how many."""
    table = table.sort_values("rank")
    top = table.iloc[0]
    first = f"{top.get('label', table.index[0])} ranks first of {len(table)} by DSR"
    if not _known(top["dsr"], top["sharpe"]):
        return first + " (its Sharpe ratio cannot be measured)."
    return f"{first} (DSR {top['dsr']:.2f}, Sharpe {top['sharpe']:.2f})."


def headline(outcome: RunOutcome) -> str:
    """The run's answer in one line: the call's (:func:`call_headline`), or the ranking's."""
    if outcome.call is not None:
        return call_headline(outcome.call)
    return ranking_headline(outcome.comparison.table)


def verdict_points(outcome: RunOutcome) -> list[tuple[str, str]]:
    """The verdict as (topic, sentences) pairs: the call, the ranking, the catalyst rules,
    the market's reaction and the article's claims, each with how sure we can be."""
    points = []
    if outcome.call is not None:
        points.append(("The call", call_sentence(outcome.call)))
    if outcome.strategies:
        points.append(("Ranking", ranking_sentence(outcome.comparison)))
    catalysts = catalyst_sentence(outcome)
    if catalysts or outcome.comparison.spa:
        noun = strategies_noun(outcome)
        text = f"{catalysts} {spa_sentence(outcome.comparison, noun=noun)}".strip()
        points.append(("Your strategies" if outcome.user_strategies else "Catalyst rules", text))
    if outcome.event_study is not None:
        points.append(("Market reaction", event_study_sentence(outcome.event_study)))
    if outcome.audit is not None:
        points.append(("The article's claims", audit_sentence(outcome.audit)))
    return points


def overall_verdict(outcome: RunOutcome) -> str:
    """The verdict points as one paragraph (for summary.json)."""
    return " ".join(f"{topic}: {text}" for topic, text in verdict_points(outcome))


def audit_sentence(audit: pd.DataFrame) -> str:
    """How many of the article's claims the data confirm, and which do not hold."""
    counts = verdict_counts(audit)
    tally = ", ".join(f"{n} {verdict}" for verdict, n in counts.items() if n)
    doubtful = [
        f"{row['claim']!r} ({row['verdict']})"
        for _, row in audit.iterrows()
        if row["verdict"] in ("partly", "not supported")
    ]
    claims = counted(len(audit), "claim")
    return f"Of the article's {claims} in the claims file, the data give: {tally}." + (
        f" Qualified: {'; '.join(doubtful)}." if doubtful else ""
    )


def call_sentence(result: CallResult) -> str:
    """One plain paragraph: what the call returned, against whom it was right or wrong (a
    buy call is right when the stock beats a benchmark, a sell call when it trails it), how
    sure; a sell call also gives the short position's return after its own costs."""
    labels = result.labels
    timing = result.timing
    if not timing.evaluable:
        return f"The call cannot be evaluated: {timing.reason}."
    oos = result.out_of_sample
    call_id = oos.index[0]
    days = (timing.end_day - timing.entry_day).days
    own = oos.loc[call_id, "total_return"]
    selling = result.stance is Stance.SELL
    verb = "Selling" if selling else "Buying"
    held = (
        f"{result.ticker} (call to sell, dated {timing.call_date.date()}) from the open of "
        f"{timing.entry_day.date()} to {timing.end_day.date()} ({days} days)"
        if selling
        else f"{result.ticker} at the open of {timing.entry_day.date()} (call dated "
        f"{timing.call_date.date()}) and holding to {timing.end_day.date()} ({days} days)"
    )
    if not _known(own):
        return f"{verb} {held}: its return cannot be measured (too few prices)."
    if selling:
        parts = [
            f"{result.ticker} returned {own:+.1%} from the open of {timing.entry_day.date()} "
            f"(sell call dated {timing.call_date.date()}) to {timing.end_day.date()} "
            f"({days} days)."
        ]
        short = result.short
        if short is not None and _known(short.total_return, short.trading_cost, short.borrow_cost):
            parts.append(
                f"A short sale held over that period returned {short.total_return:+.1%} after "
                f"its trading costs ({short.trading_cost:.2%} of the value shorted) and a "
                f"borrow fee of {short.borrow_fee:.2%} a year ({short.borrow_cost:.2%})."
            )
    else:
        parts = [f"Buying {held} returned {own:+.1%}."]
    legs = [leg for leg in oos.index[1:] if _known(oos.loc[leg, "excess_total_return"])]
    right = [leg for leg in legs if oos.loc[leg, "excess_total_return"] > 0]
    wrong = [leg for leg in legs if leg not in right]
    if right:
        parts.append(
            ("It trailed " if selling else "It beat ")
            + ", ".join(
                f"{labels[b]} by {_points(oos.loc[b, 'excess_total_return'])}" for b in right
            )
            + (" (the sell call was right against them)." if selling else ".")
        )
    if wrong:
        parts.append(
            ("It beat " if selling else "It trailed ")
            + ", ".join(
                f"{labels[b]} by {_points(oos.loc[b, 'excess_total_return'])}" for b in wrong
            )
            + (" (the sell call was wrong against them)." if selling else ".")
        )
    if result.uncertainty is not None:
        parts.extend(_uncertainty_sentences(result.uncertainty, labels))
    interval = result.excess_interval
    if not interval.empty:
        first = interval.index[0]
        row = interval.loc[first]
        if _known(row["annual_excess"], row["low"], row["high"]):
            measured = [
                leg
                for leg in interval.index
                if _known(interval.loc[leg, "low"], interval.loc[leg, "high"])
            ]
            unclear = [
                leg for leg in measured if interval.loc[leg, "low"] < 0 < interval.loc[leg, "high"]
            ]
            parts.append(
                f"Uncertainty: the call's mean daily excess return over {labels[first]}"
                + (" (the benchmark's return minus the stock's)" if selling else "")
                + f", times 252, is {row['annual_excess']:+.1%} with a block-bootstrap interval "
                f"of {row['low']:+.1%} to {row['high']:+.1%}; "
                + (
                    f"against {len(unclear)} of {len(measured)} benchmarks the interval "
                    "includes zero, so over this short period the call's edge (or shortfall) "
                    "is not distinguishable from luck."
                    if unclear
                    else "every interval excludes zero."
                )
            )
    return " ".join(parts)


def _uncertainty_sentences(uncertainty: CallUncertainty, labels: dict[str, str]) -> list[str]:
    """The band over the publication window and the base rate, against the first benchmark."""
    band = uncertainty.band
    if not band.benchmarks:
        return []
    first = band.benchmarks[0]
    ticker = band.ticker
    selling = band.stance is Stance.SELL
    excess_of = (
        f"the call's excess ({labels[first]}'s return minus {ticker}'s)"
        if selling
        else f"{ticker}'s excess over {labels[first]}"
    )
    sentences = []
    stats = band.excess_stats[first]
    days = len(band.excess)
    if days > 1 and _known(stats.minimum, stats.maximum, stats.median):
        sentences.append(
            f"Depending on the day a reader acted between {band.window[0].date()} and "
            f"{band.window[1].date()} ({days} entry days, {uncertainty.convention.description}), "
            f"{excess_of} to {band.end.date()} ranged from "
            f"{stats.minimum:+.1%} to {stats.maximum:+.1%} (median {stats.median:+.1%})."
        )
    rate = uncertainty.base_rates.get(first)
    if rate is not None and _known(rate.percentile, rate.call_excess):
        instead = (
            f"holding {labels[first]} instead of {ticker}"
            if selling
            else f"buying {ticker} instead of {labels[first]}"
        )
        sentences.append(
            f"Base rate ({uncertainty.convention.value} entries): of the {rate.n_windows} "
            "entry days since "
            f"{rate.history.index[0].date()} held for the same {rate.holding_days} trading days "
            f"(only {rate.n_non_overlapping} non-overlapping), {1 - rate.percentile:.0%} had "
            f"a larger excess than the call's {rate.call_excess:+.1%}: the call sits at "
            f"the {percentile_text(rate.percentile)} percentile of what {instead} on an "
            "arbitrary day "
            "delivered."
        )
    return sentences
