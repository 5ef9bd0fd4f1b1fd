"""Price tiers: fixed thresholds (the article's $0.03 and $0.01 per 1K) or natural breaks in log price.

Prices are blended USD per 1M tokens; $0.03/1K = 30 per 1M.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pricewar.defaults import BLEND_RATIO

__all__ = ["natural_breaks", "assign_tiers", "tier_summary", "tier_history", "TIERS", "ARTICLE_THRESHOLDS"]

TIERS = ["premium", "mid", "entry"]
ARTICLE_THRESHOLDS = [30.0, 10.0]  # USD per 1M blended: $0.03 and $0.01 per 1K tokens


def natural_breaks(prices: pd.Series, classes: int = 3) -> list[float]:
    """Jenks natural breaks of log10 price into ``classes`` groups: the lower bounds of the
    upper groups, highest first, in USD per 1M (deterministic)."""
    import jenkspy

    positive = prices[prices > 0].to_numpy(dtype=float)
    values = np.log10(positive)
    if len(np.unique(values)) < classes:
        raise ValueError(f"natural breaks need at least {classes} distinct prices, got {len(np.unique(values))}")
    breaks = jenkspy.jenks_breaks(np.sort(values), n_classes=classes)
    # jenks_breaks returns [min, b1, ..., max]; a class starts at the first price above each inner break
    return sorted((float(positive[values > b].min()) for b in breaks[1:-1]), reverse=True)


def assign_tiers(df: pd.DataFrame, mode: str = "fixed", thresholds: list[float] | None = None,
                 price: str = "blended_usd_per_mtok") -> tuple[pd.DataFrame, list[float]]:
    """Add a ``tier`` column (premium / mid / entry) and return the thresholds used.

    ``mode="fixed"``: premium when price >= thresholds[0], mid when >= thresholds[1]
    (default: the article's 30 and 10 USD per 1M). ``mode="natural"``: thresholds are
    the Jenks breaks of log price among ``df``'s rows.
    """
    if mode == "fixed":
        used = list(thresholds or ARTICLE_THRESHOLDS)
    elif mode == "natural":
        used = natural_breaks(df[price], classes=len(TIERS))
    else:
        raise ValueError(f"tier mode must be 'fixed' or 'natural', got {mode!r}")
    if len(used) != 2 or used[0] <= used[1]:
        raise ValueError(f"need two thresholds, high then low, got {used}")
    tier = np.where(df[price] >= used[0], "premium", np.where(df[price] >= used[1], "mid", "entry"))
    return df.assign(tier=pd.Categorical(tier, categories=TIERS)), used


def tier_summary(df: pd.DataFrame, metric_column: str = "score") -> pd.DataFrame:
    """Per tier: model count, price range (USD per 1M blended), capability range, a few names."""
    rows = []
    for tier in TIERS:
        part = df[df["tier"] == tier]
        rows.append({
            "tier": tier, "models": int(len(part)),
            "min_usd_per_mtok": part["blended_usd_per_mtok"].min(), "max_usd_per_mtok": part["blended_usd_per_mtok"].max(),
            "scored_models": int(part[metric_column].notna().sum()),
            "min_score": part[metric_column].min(), "max_score": part[metric_column].max(),
            "examples": ", ".join(part.sort_values(metric_column, ascending=False)["model_id"].head(4)),
        })
    return pd.DataFrame(rows)


def tier_history(cat, start, end, freq: str = "QS", mode: str = "fixed", thresholds: list[float] | None = None,
                 ratio: float = BLEND_RATIO) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tiers of every priced model at each period start, and the moves caused by repricing.

    Returns (``counts``: date, tier, models; ``moves``: model_id, from_date, to_date, from_tier,
    to_tier, old and new blended price, ``cause``). A move counts only when the model was priced at
    both dates (a launch is not a move); its ``cause`` is "price change" when the price came from
    the same host on both dates, else "other hosts" (a median over a changed set of hosts, or another
    host: a host first observed is not a repricing). Natural mode recomputes the breaks at each date.
    """
    dates = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    snapshots = []
    for day in dates:
        table = cat.prices_on(day, ratio=ratio)
        if table.empty:
            continue
        tiered, _ = assign_tiers(table, mode=mode, thresholds=thresholds)
        snapshots.append(tiered.assign(date=day)[["date", "model_id", "tier", "blended_usd_per_mtok", "host"]])
    history = pd.concat(snapshots, ignore_index=True)
    counts = history.groupby(["date", "tier"], observed=False).size().rename("models").reset_index()
    ordered = history.sort_values(["model_id", "date"])
    previous = ordered.groupby("model_id")[["date", "tier", "blended_usd_per_mtok", "host"]].shift()
    moved = previous["tier"].notna() & (ordered["tier"].astype(str) != previous["tier"].astype(str))
    moves = pd.DataFrame({
        "model_id": ordered.loc[moved, "model_id"], "from_date": previous.loc[moved, "date"],
        "to_date": ordered.loc[moved, "date"], "from_tier": previous.loc[moved, "tier"].astype(str),
        "to_tier": ordered.loc[moved, "tier"].astype(str),
        "old_usd_per_mtok": previous.loc[moved, "blended_usd_per_mtok"],
        "new_usd_per_mtok": ordered.loc[moved, "blended_usd_per_mtok"],
        "cause": np.where((ordered.loc[moved, "host"] == previous.loc[moved, "host"])
                          & ~ordered.loc[moved, "host"].astype(str).str.startswith("median of"), "price change", "other hosts"),
    }).sort_values(["to_date", "model_id"], ignore_index=True)
    moves["pct_change"] = 100 * (moves["new_usd_per_mtok"] / moves["old_usd_per_mtok"] - 1)
    return counts, moves

