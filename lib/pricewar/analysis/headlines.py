"""Headline numbers, each computed by one function with one label, whichever page shows it.

The executive summary's six tiles and the topic reports' headlines call the same functions, so a
number that appears on two pages has one value and one label there; labels that differ in scope
say so ("largest list-price cut, last 90 days" against "… since 2023-03-01"). Each headline is a
dict: key, label, value, unit, comparison (the line of context under it). Prices are USD per 1M
tokens (blended at ``ratio``).
"""

from __future__ import annotations

import pandas as pd

from pricewar.analysis import openness, tasks, tiers, trends
from pricewar.defaults import ANALYSIS_START, BLEND_RATIO, GPT4_THRESHOLD_MODEL, METRIC, METRICS

__all__ = ["headline_numbers", "price_now", "price_start", "decline", "task_decline", "premium_floor", "open_lag",
           "largest_cut", "TASK_BENCHMARK"]

TASK_BENCHMARK = "gpqa_diamond"  # the summary's cost of a task: one GPQA Diamond question at Epoch AI's measured tokens
LAG_WINDOW_MONTHS = 12  # the open-model lag is averaged over the closed records open models reached in this window


def _metric(metric: str) -> str:
    return METRICS.get(metric, metric).split(",")[0]


def _money(value: float) -> str:
    return f"${value:,.3g}" if value < 1000 else f"${value:,.0f}"


def price_now(cat, fit: pd.Series, metric: str) -> dict:
    """The cheapest price today at the bar of ``fit`` (a row of ``trends.fit_by_threshold``)."""
    name = cat.display_name(fit["threshold"])
    return {"key": "gpt4_level_price_now", "label": f"cheapest price of {name}-level capability ({_metric(metric)})",
            "value": float(fit["last_usd_per_mtok"]), "unit": "USD per 1M tokens",
            "comparison": f"from {_money(fit['first_usd_per_mtok'])} on {fit['first_date'].date()}: "
                          f"{fit['first_usd_per_mtok'] / fit['last_usd_per_mtok']:,.0f}× cheaper, on "
                          f"{fit['last_date'].date()}"}


def price_start(cat, fit: pd.Series, metric: str) -> dict:
    """The cheapest price at the bar of ``fit`` on the curve's first day."""
    name = cat.display_name(fit["threshold"])
    return {"key": "gpt4_level_price_start", "value": float(fit["first_usd_per_mtok"]), "unit": "USD per 1M tokens",
            "label": f"cheapest price of {name}-level capability on {fit['first_date'].date()} ({_metric(metric)})",
            "comparison": f"the first day of the curve; today {_money(fit['last_usd_per_mtok'])}"}


def decline(cat, fit: pd.Series, periods: pd.DataFrame | None = None, metric: str | None = None) -> dict:
    """How fast the price at the bar of ``fit`` falls over the whole window: ×/year of the log-linear fit,
    with its interval, and (``periods``, from ``trends.decline_by_period``) the rate on the other windows,
    since the fall is not even."""
    name = cat.display_name(fit["threshold"])
    shape = "" if periods is None else "; " + ", ".join(
        f"{row.period}: {row.factor_per_year:.1f}×" for row in periods.iloc[1:].itertuples()
        if row.factor_per_year == row.factor_per_year)
    scored = f" ({_metric(metric)})" if metric else ""
    return {"key": "decline_per_year", "label": f"fall of the price of {name}-level capability{scored}, whole window",
            "value": round(float(fit["factor_per_year"]), 2), "unit": "× per year",
            "comparison": f"90% CI {fit['ci_low']:.1f}–{fit['ci_high']:.1f}× per year, {int(fit['n'])} price "
                          f"changes, {fit['first_date'].date()} to {fit['last_date'].date()}{shape}"}


def task_decline(cat, side: pd.DataFrame, threshold: str, benchmark: str, metric: str) -> dict:
    """How fast the cheapest task (one question) of ``benchmark`` at the bar of ``threshold`` falls, beside the
    cheapest token at the same bar (``side``: rows of ``tasks.declines_by_benchmark``, token row first);
    no rate (NaN) and the reason when the series has too few changes."""
    token, task = side.iloc[0], side.iloc[1]
    label = (f"fall of the cost of one {_metric(benchmark)} task at {cat.display_name(threshold)}-level "
             f"capability ({_metric(metric)})")
    if task["factor_per_year"] != task["factor_per_year"]:
        return {"key": "task_cost_decline", "value": float("nan"), "unit": "× per year", "label": label,
                "comparison": f"no rate: {task.get('note') or 'too few changes'}"}
    return {"key": "task_cost_decline", "value": round(float(task["factor_per_year"]), 2), "unit": "× per year",
            "label": f"fall of the cost of one {_metric(benchmark)} task at {cat.display_name(threshold)}-level "
                     f"capability ({_metric(metric)})",
            "comparison": f"90% CI {task['ci_low']:.1f}–{task['ci_high']:.1f}×, {int(task['n'])} changes, "
                          f"{task['start'].date()} to {task['end'].date()}; per token at the same bar "
                          f"{token['factor_per_year']:.1f}× (90% CI {token['ci_low']:.1f}–{token['ci_high']:.1f}×)"}


def premium_floor(cat, ratio: float = BLEND_RATIO) -> dict:
    """Where the premium tier starts today: the upper natural break in (log) price."""
    breaks = tiers.natural_breaks(cat.prices_on(ratio=ratio)["blended_usd_per_mtok"])
    return {"key": "premium_floor", "label": "where the premium tier starts today (natural break in price)",
            "value": float(breaks[0]), "unit": "USD per 1M tokens",
            "comparison": f"the mid tier starts at {_money(breaks[1])}; the article's premium tier starts at $30"}


def open_lag(cat, metric: str, window_months: int = LAG_WINDOW_MONTHS, end=None, bootstrap: int = 1000,
             seed: int = 0) -> tuple[dict, dict]:
    """(the lag as ``openness.capability_lag`` gives it, its headline): how many months open-weights
    models trail the closed frontier at their best level, with the mean over ``window_months``."""
    day = pd.Timestamp(end or cat.snapshot_date)
    fronts = [openness.capability_frontier(cat, metric, open_weights=flag) for flag in (True, False)]
    fronts = [front[front["date"] <= day] for front in fronts]
    lag = openness.capability_lag(*fronts, window_months=window_months, end=day, bootstrap=bootstrap, seed=seed)
    headline = {"key": "open_lag_months", "label": f"how long open-weights models trail the closed frontier "
                                                   f"at their best {_metric(metric)} level",
                "value": round(float(lag["current_months"]), 1), "unit": "months",
                "comparison": f"mean {lag['mean_months']:.1f} months over the records of the last {window_months} "
                              f"months (90% CI {lag['ci_low']:.1f}–{lag['ci_high']:.1f}, n={lag['n']})"}
    return lag, headline


def largest_cut(cat, cuts: pd.DataFrame, since=None, window_days: int | None = None) -> dict:
    """The largest repricing down among ``cuts`` (``trends.repricings``, largest cut first): in the last
    ``window_days`` before the snapshot date, else since ``since``; the label says which."""
    day = pd.Timestamp(cat.snapshot_date)
    down = cuts[cuts["kind"] == "cut"]
    if window_days is not None:
        down = down[down["date"] > day - pd.Timedelta(days=window_days)]
        key, scope = "largest_recent_cut_pct", f"last {window_days} days"
    else:
        down = down[down["date"] >= pd.Timestamp(since)] if since else down
        key, scope = "largest_cut_pct", f"since {pd.Timestamp(since).date()}" if since else "all time"
    label = f"largest list-price cut (a repricing), {scope}"
    if down.empty:
        return {"key": key, "label": label, "value": None, "unit": "%",
                "comparison": "no provider repriced a model down in that time"}
    top = down.sort_values("pct_change").iloc[0]
    return {"key": key, "label": label, "value": round(float(top["pct_change"]), 1), "unit": "%",
            "comparison": f"{cat.display_name(top['model_id'])} at {top['host']} on {top['date'].date()}: "
                          f"{_money(top['old_blended_usd_per_mtok'])} → {_money(top['new_blended_usd_per_mtok'])} "
                          "per 1M tokens"}


def headline_numbers(cat, metric: str = METRIC, ratio: float = BLEND_RATIO, threshold: str = GPT4_THRESHOLD_MODEL,
                     start: str = ANALYSIS_START, cut_window_days: int = 90) -> pd.DataFrame:
    """The executive summary's six tiles (key, label, value, unit, comparison), all from ``cat``; each
    label names the capability metric it uses.

    ``threshold`` is the model whose ``metric`` score is the bar of the price curve from ``start``, and
    of the cost of a task (a GPQA Diamond question, Epoch AI's measured tokens) over the same months.
    """
    curve = trends.cheapest_by_threshold(cat, metric, [threshold], start=start, ratio=ratio)
    fit = trends.fit_by_threshold(cat, curve, metric).iloc[0]
    periods = trends.decline_by_period(curve, trends.decline_periods(cat, curve))
    cuts = trends.repricings(trends.first_party_changes(cat, ratio=ratio))
    side = tasks.declines_by_benchmark(cat, [TASK_BENCHMARK], metric, threshold,
                                       trends.month_starts(start, cat.snapshot_date), ratio)
    rows = [price_now(cat, fit, metric), decline(cat, fit, periods, metric),
            task_decline(cat, side, threshold, TASK_BENCHMARK, metric), premium_floor(cat, ratio),
            open_lag(cat, metric)[1], largest_cut(cat, cuts, window_days=cut_window_days)]
    return pd.DataFrame(rows)
