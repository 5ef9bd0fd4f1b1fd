"""The executive summary's five numbers, each with its comparison, all computed from a catalog."""

from __future__ import annotations

import pandas as pd

from pricewar.analysis import openness, tiers, trends
from pricewar.defaults import ANALYSIS_START, BLEND_RATIO, GPT4_THRESHOLD_MODEL, METRIC

__all__ = ["headline_numbers"]


def headline_numbers(cat, metric: str = METRIC, ratio: float = BLEND_RATIO, threshold: str = GPT4_THRESHOLD_MODEL,
                     start: str = ANALYSIS_START, cut_window_days: int = 90) -> pd.DataFrame:
    """Five tiles: key, label, value, unit, comparison (all computed from ``cat``).

    Prices are blended USD per 1M tokens at ``ratio``; ``threshold`` is the model whose
    ``metric`` score is the bar of the price curve that starts on ``start``.
    """
    curve = trends.cheapest_by_threshold(cat, metric, [threshold], start=start, ratio=ratio)
    fit = trends.fit_by_threshold(cat, curve, metric).iloc[0]
    breaks = tiers.natural_breaks(cat.prices_on(ratio=ratio)["blended_usd_per_mtok"])
    lag = openness.capability_lag(openness.capability_frontier(cat, metric, True),
                                  openness.capability_frontier(cat, metric, False))
    day = pd.Timestamp(cat.snapshot_date)
    cuts = trends.repricings(trends.first_party_changes(cat, ratio=ratio))
    recent = cuts[(cuts["kind"] == "cut") & (cuts["date"] > day - pd.Timedelta(days=cut_window_days))]
    rows = [
        {"key": "gpt4_level_price_now", "label": f"cheapest {threshold}-level price ({metric})",
         "value": fit["last_usd_per_mtok"], "unit": "USD per 1M tokens",
         "comparison": f"{fit['first_usd_per_mtok']:g} on {fit['first_date'].date()}: "
                       f"{fit['first_usd_per_mtok'] / fit['last_usd_per_mtok']:,.0f}× cheaper"},
        {"key": "decline_per_year", "label": f"price decline at {threshold} level", "value": fit["factor_per_year"],
         "unit": "× per year", "comparison": f"90% CI {fit['ci_low']:.1f}–{fit['ci_high']:.1f}, n={int(fit['n'])}"},
        {"key": "premium_floor", "label": "where the premium tier starts today (natural break)", "value": breaks[0],
         "unit": "USD per 1M tokens", "comparison": f"mid tier from {breaks[1]:.3g}; the article's premium tier: 30"},
        {"key": "open_lag_months", "label": "months open models trail the closed frontier", "value": lag["current_months"],
         "unit": "months", "comparison": f"mean {lag['mean_months']:.1f} over {lag['n']} records "
                                         f"(90% CI {lag['ci_low']:.1f}–{lag['ci_high']:.1f})"},
        _largest_recent_cut(recent, cut_window_days),
    ]
    return pd.DataFrame(rows)


def _largest_recent_cut(recent: pd.DataFrame, cut_window_days: int) -> dict:
    label = f"largest list-price cut (a repricing) in the last {cut_window_days} days"
    if recent.empty:
        return {"key": "largest_recent_cut_pct", "label": label, "value": None, "unit": "%",
                "comparison": "no provider repriced a model down in that window"}
    top = recent.iloc[0]
    return {"key": "largest_recent_cut_pct", "label": label, "value": top["pct_change"], "unit": "%",
            "comparison": f"{top['model_id']} at {top['host']} on {top['date'].date()}: "
                          f"{top['old_blended_usd_per_mtok']:.3g} → {top['new_blended_usd_per_mtok']:.3g} USD/1M"}
