"""Open vs closed models: how far the open frontier trails, and what the closed premium buys.

Scores are 0–100 on one metric; a model's capability counts from its release
date (the score version in force then, see ``trends.score_periods``). Lags are
in months of 30.44 days. Prices are blended USD per 1M tokens.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pricewar.analysis import frontier, trends
from pricewar.data import pricing
from pricewar.defaults import BLEND_RATIO, SCORE_TOLERANCE

__all__ = ["availability", "openness_periods", "quarter_dates", "capability_frontier", "capability_lag", "vertical_gap",
           "closed_premium", "frontier_share", "size_from_name", "size_classes", "small_vs_large",
           "DAYS_PER_MONTH"]

DAYS_PER_MONTH = 30.44


def availability(cat) -> pd.Series:
    """The day each model version became available, by model_id.

    Closed models: their first list price under any name at any host (an API model exists for
    users when it is sold); open-weights models: their release date (the weights), else their
    first price.
    """
    first_price = pricing.with_versions(cat.prices).groupby("version_id")["start_date"].min()
    models = cat.models.set_index("model_id")
    is_open = models["open_weights"].fillna(False).astype(bool)
    released = models["release_date"]
    return pd.Series(np.where(is_open, released.fillna(first_price.reindex(models.index)),
                              first_price.reindex(models.index).fillna(released)),
                     index=models.index, dtype="datetime64[ns]")


def openness_periods(cat, metric: str, open_weights: bool) -> pd.DataFrame:
    """Score periods of the model versions of one openness (a version's own flag: an API name
    that moved from a closed to an open version counts as open only from then)."""
    flag = cat.models.set_index("model_id")["open_weights"].fillna(False).astype(bool)
    periods = trends.score_periods(cat.scores, metric)
    return periods[periods["model_id"].map(flag).fillna(False) == open_weights]


def _scored_releases(cat, metric: str, open_weights: bool) -> pd.DataFrame:
    """Score periods on ``metric`` of the model versions of one openness, dated from when each was available."""
    periods = openness_periods(cat, metric, open_weights)
    periods = periods.assign(available=periods["model_id"].map(availability(cat))).dropna(subset=["available"])
    # a score counts from the later of the model's availability and the day its version took the name
    periods["date"] = periods[["available", "applies_from"]].max(axis=1)
    return periods[["date", "model_id", "score"]]


def capability_frontier(cat, metric: str, open_weights: bool) -> pd.DataFrame:
    """The best score available on each date (a step function): date, score, model_id at each new record."""
    events = _scored_releases(cat, metric, open_weights).sort_values(["date", "score"], ascending=[True, False])
    records, best = [], -np.inf
    for row in events.itertuples():
        if row.score > best:
            best = row.score
            records.append({"date": row.date, "score": row.score, "model_id": row.model_id})
    return pd.DataFrame(records, columns=["date", "score", "model_id"])


def _first_reached(front: pd.DataFrame, level: float):
    hit = front[front["score"] >= level - SCORE_TOLERANCE]
    return hit["date"].min() if len(hit) else pd.NaT


def capability_lag(frontier_open: pd.DataFrame, frontier_closed: pd.DataFrame, window_months: int | None = None,
                   end=None, bootstrap: int = 1000, seed: int = 0) -> dict:
    """How many months after the closed frontier the open frontier reached each closed record.

    Levels are the closed frontier's record scores that the open frontier also reached.
    ``window_months`` keeps the levels the open frontier reached in the last that many
    months before ``end`` (default: the latest date of either frontier). Mean and median
    lag with a seeded bootstrap 90% interval of the mean; ``current_months`` is the lag at
    the highest level open models have reached. ``levels`` lists every level used.
    """
    levels = []
    for row in frontier_closed.itertuples():
        reached = _first_reached(frontier_open, row.score)
        if pd.notna(reached):
            levels.append({"score": row.score, "closed_date": row.date, "closed_model": row.model_id,
                           "open_date": reached,
                           "lag_months": max(0.0, (reached - row.date).days / DAYS_PER_MONTH)})
    table = pd.DataFrame(levels, columns=["score", "closed_date", "closed_model", "open_date", "lag_months"])
    end = pd.Timestamp(end) if end is not None else max(frontier_open["date"].max(), frontier_closed["date"].max())
    current = table.sort_values("score")["lag_months"].iloc[-1] if len(table) else np.nan
    if window_months is not None:
        table = table[table["open_date"] >= end - pd.DateOffset(months=window_months)]
    lags = table["lag_months"].to_numpy()
    result = {"levels": table.reset_index(drop=True), "n": len(lags), "mean_months": np.nan,
              "median_months": np.nan, "ci_low": np.nan, "ci_high": np.nan, "current_months": float(current)}
    if len(lags):
        rng = np.random.default_rng(seed)
        means = rng.choice(lags, size=(bootstrap, len(lags)), replace=True).mean(axis=1)
        result.update({"mean_months": float(lags.mean()), "median_months": float(np.median(lags)),
                       "ci_low": float(np.percentile(means, 5)), "ci_high": float(np.percentile(means, 95))})
    return result


def vertical_gap(frontier_open: pd.DataFrame, frontier_closed: pd.DataFrame, dates) -> pd.DataFrame:
    """Closed minus open frontier score (points) on each date."""
    dates = pd.to_datetime(list(dates))

    def level(front, day):
        before = front[front["date"] <= day]
        return before["score"].max() if len(before) else np.nan

    rows = [{"date": d, "closed": level(frontier_closed, d), "open": level(frontier_open, d)} for d in dates]
    out = pd.DataFrame(rows)
    out["gap_points"] = out["closed"] - out["open"]
    return out


def closed_premium(cat, metric: str, threshold, dates, ratio: float = BLEND_RATIO) -> pd.DataFrame:
    """Cheapest closed vs cheapest open model at or above ``threshold`` on each date, and their ratio."""
    rows = []
    for label, open_weights in (("closed", False), ("open", True)):
        periods = openness_periods(cat, metric, open_weights)
        series = trends.cheapest_at_or_above(cat, metric, threshold, dates=dates, ratio=ratio,
                                             models=set(periods["model_id"]), periods=periods)
        rows.append(series.set_index("date")[["model_id", "blended_usd_per_mtok"]].add_prefix(f"{label}_"))
    table = rows[0].join(rows[1], how="outer").reset_index()
    table["premium_ratio"] = table["closed_blended_usd_per_mtok"] / table["open_blended_usd_per_mtok"]
    return table


def quarter_dates(start, end) -> pd.DatetimeIndex:
    """Quarter starts from ``start`` to ``end``, and ``end`` itself: a series that ends on the report's
    day gives the same number there as a report of that day."""
    return pd.DatetimeIndex(sorted(set(pd.date_range(start, end, freq="QS")) | {pd.Timestamp(end)}))


def frontier_share(cat, metric: str, dates, ratio: float = BLEND_RATIO) -> pd.DataFrame:
    """Share of the price–capability Pareto frontier held by open-weights models on each date."""
    rows = []
    for day in pd.to_datetime(list(dates)):
        scored = frontier.scored_prices(cat, metric, day, ratio=ratio)
        best = frontier.pareto_frontier(scored)
        if best.empty:
            continue
        open_count = int(best["open_weights"].fillna(False).astype(bool).sum())
        rows.append({"date": day, "frontier_models": len(best), "open_models": open_count,
                     "open_share_pct": 100 * open_count / len(best)})
    return pd.DataFrame(rows)


_SIZE = re.compile(r"(?:^|-)(\d+(?:\.\d+)?)b(?:-|$)")


def size_from_name(model_id: str) -> float:
    """Parameters in billions as the model's own name states them (``qwen3.5-9b`` → 9.0), else NaN.

    Mixture-of-experts names (``-a22b``) give the total; names without a size give NaN."""
    match = _SIZE.search(model_id)
    return float(match.group(1)) if match else np.nan


def size_classes(cat, small_below_b: float = 15.0, large_range_b: tuple[float, float] = (100.0, 130.0)) -> pd.DataFrame:
    """Open-weights models with a size in their name (or curated), classed small / large / other."""
    models = cat.models[cat.models["open_weights"].fillna(False).astype(bool)].copy()
    named = models["model_id"].map(size_from_name)
    models["params_b"] = models["params_total_b"].fillna(named) if "params_total_b" in models else named
    models = models.dropna(subset=["params_b"])
    models["size_class"] = np.where(models["params_b"] < small_below_b, "small",
                                    np.where(models["params_b"].between(*large_range_b), "large", "other"))
    return models[["model_id", "name", "params_b", "size_class", "release_date"]]


def small_vs_large(cat, small_below_b: float = 15.0, large_range_b: tuple[float, float] = (100.0, 130.0)) -> pd.DataFrame:
    """For every metric: the best small open model's score beside the best ~100–130B open model's."""
    sizes = size_classes(cat, small_below_b, large_range_b).set_index("model_id")
    scores = cat.scores.merge(sizes[["size_class", "params_b"]], left_on="model_id", right_index=True)
    rows = []
    for metric, part in scores.groupby("metric"):
        row = {"metric": metric}
        for size in ("small", "large"):
            best = part[part["size_class"] == size].sort_values("score", ascending=False).head(1)
            row[f"best_{size}"] = best["model_id"].iloc[0] if len(best) else None
            row[f"best_{size}_score"] = best["score"].iloc[0] if len(best) else np.nan
        row["gap_points"] = row["best_large_score"] - row["best_small_score"]
        rows.append(row)
    return pd.DataFrame(rows)
