"""What changed between two snapshots: models, list prices, tiers, the frontier."""

from __future__ import annotations

import pandas as pd

from pricewar.analysis import frontier, tiers
from pricewar.data import pricing
from pricewar.defaults import BLEND_RATIO, METRIC

__all__ = ["diff_snapshots", "previous_snapshot", "as_json"]


def _current(cat) -> pd.DataFrame:
    """Every (model, host) price in force on the snapshot date."""
    live = pricing.in_force(cat.prices, pd.Timestamp(cat.snapshot_date))
    return live.set_index(["model_id", "host"])[["input_usd_per_mtok", "output_usd_per_mtok"]]


def diff_snapshots(old, new, metric: str = METRIC, ratio: float = BLEND_RATIO) -> dict:
    """New and removed models, every changed price (old → new, %), tier moves and new frontier models.

    Prices compare what was in force on each snapshot's own date; tiers use the article's fixed
    thresholds; the frontier is price against ``metric``.
    """
    old_ids, new_ids = set(old.models["model_id"]), set(new.models["model_id"])
    before, after = _current(old), _current(new)
    both = before.join(after, suffixes=("_old", "_new"), how="inner")
    changed = both[(both["input_usd_per_mtok_old"] != both["input_usd_per_mtok_new"])
                   | (both["output_usd_per_mtok_old"] != both["output_usd_per_mtok_new"])].reset_index()
    new_price = pricing.blended_price(changed["input_usd_per_mtok_new"], changed["output_usd_per_mtok_new"], ratio)
    old_price = pricing.blended_price(changed["input_usd_per_mtok_old"], changed["output_usd_per_mtok_old"], ratio)
    changed["pct_change"] = 100 * (new_price / old_price - 1)
    old_tiers, _ = tiers.assign_tiers(old.prices_on(ratio=ratio))
    new_tiers, _ = tiers.assign_tiers(new.prices_on(ratio=ratio))
    moved = old_tiers.set_index("model_id")[["tier"]].join(new_tiers.set_index("model_id")[["tier"]],
                                                           suffixes=("_old", "_new"), how="inner")
    moved = moved[moved["tier_old"].astype(str) != moved["tier_new"].astype(str)].reset_index()
    old_front = set(frontier.pareto_frontier(frontier.scored_prices(old, metric, ratio=ratio))["model_id"])
    new_front = frontier.pareto_frontier(frontier.scored_prices(new, metric, ratio=ratio))
    return {
        "old": old.snapshot_id, "new": new.snapshot_id,
        "new_models": sorted(new_ids - old_ids), "removed_models": sorted(old_ids - new_ids),
        "price_changes": changed.sort_values(["pct_change", "model_id"], ignore_index=True),
        "tier_changes": moved.assign(tier_old=moved["tier_old"].astype(str), tier_new=moved["tier_new"].astype(str))
                             .sort_values("model_id", ignore_index=True),
        "new_frontier_models": sorted(set(new_front["model_id"]) - old_front),
    }


def previous_snapshot(snapshot_id: str, root=None) -> str | None:
    """The snapshot before ``snapshot_id``, or None when it is the first."""
    from pricewar.data import snapshot

    ids = snapshot.list_snapshots(root)
    earlier = [s for s in ids if s < snapshot_id]
    return earlier[-1] if earlier else None


def as_json(result: dict) -> dict:
    """The diff with frames as records (dates and numbers JSON-ready)."""
    out = {}
    for key, value in result.items():
        out[key] = value.round(6).to_dict("records") if isinstance(value, pd.DataFrame) else value
    return out
