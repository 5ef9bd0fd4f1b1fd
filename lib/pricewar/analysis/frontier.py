"""The price–capability frontier: the models no other model beats on both price and score."""

from __future__ import annotations

import pandas as pd
from pricewar.defaults import BLEND_RATIO

__all__ = ["pareto_frontier", "scored_prices"]


def pareto_frontier(df: pd.DataFrame, x: str = "blended_usd_per_mtok", y: str = "score") -> pd.DataFrame:
    """Rows of ``df`` that no other row dominates (lower or equal ``x`` and higher or equal ``y``,
    one of them strictly). Rows missing ``x`` or ``y`` are not candidates. Sorted by ``x``."""
    data = df.dropna(subset=[x, y]).sort_values([x, y], ascending=[True, False])
    best = float("-inf")
    keep = []
    for index, score in zip(data.index, data[y]):
        if score > best:
            keep.append(index)
            best = score
    return data.loc[keep]


def scored_prices(cat, metric: str, as_of=None, ratio: float = BLEND_RATIO) -> pd.DataFrame:
    """Every model version priced on ``as_of`` with its score on ``metric`` in force that day (no score →
    NaN). A moving name (``gpt-4o``) that serves a version priced under its own id
    (``gpt-4o-2024-05-13``) is left out: it is the same model, one point."""
    from pricewar.analysis import trends

    day = pd.Timestamp(as_of or cat.snapshot_date)
    table = cat.prices_on(day, ratio=ratio)
    periods = trends.score_periods(cat.scores, metric)
    periods = periods[periods["applies_from"] <= day].sort_values("applies_from")
    score = periods.groupby("model_id")["score"].last()
    # a name that serves a model version priced under its own id that day is that model: one point
    moving = (table["version_id"] != table["model_id"]) & table["version_id"].isin(table["model_id"])
    return table[~moving].assign(score=lambda t: t["version_id"].map(score))
