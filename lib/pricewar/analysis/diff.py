"""What changed between two snapshots: models, list prices, tiers, the frontier."""

from __future__ import annotations

import pandas as pd

from pricewar.analysis import frontier, tiers
from pricewar.data import pricing
from pricewar.defaults import BLEND_RATIO, METRIC

__all__ = ["diff_snapshots", "what_changed", "change_phrase", "previous_snapshot", "as_json"]


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


def what_changed(old, new, metric: str = METRIC, ratio: float = BLEND_RATIO) -> dict:
    """What an executive needs to know changed from ``old`` to ``new`` (two catalogs).

    ``new_models``, ``new_frontier_models`` (``diff_snapshots``); ``repricings``: the creators' list
    prices repriced after the old snapshot's date, up to the new one (repricings only, largest cut
    first); ``retirements`` that took effect in between; ``claims``: the article's claims whose
    verdict changed (the new register on both catalogs, so a change is the data's, not the register's).
    """
    from pricewar.analysis import claims, trends

    base = diff_snapshots(old, new, metric, ratio)
    start, end = pd.Timestamp(old.snapshot_date), pd.Timestamp(new.snapshot_date)
    changes = trends.repricings(trends.first_party_changes(new, ratio=ratio))
    repriced = changes[(changes["date"] > start) & (changes["date"] <= end)]
    retired = [r for r in new.manifest.get("retirements", []) if start < pd.Timestamp(r["retired_date"]) <= end]
    register = claims.load_register(new)
    before = claims.evaluate_register(old, ratio=ratio, register=register).set_index("id")["verdict"]
    after = claims.evaluate_register(new, ratio=ratio, register=register).set_index("id")
    moved = after[after["verdict"] != before.reindex(after.index)]
    return {
        "old": old.snapshot_id, "new": new.snapshot_id, "new_models": base["new_models"],
        "new_frontier_models": base["new_frontier_models"],
        "repricings": repriced[["date", "model_id", "host", "old_blended_usd_per_mtok", "new_blended_usd_per_mtok",
                                "pct_change", "source_url"]].reset_index(drop=True),
        "retirements": pd.DataFrame(retired, columns=["model_id", "host", "retired_date", "replacement", "source_url"]),
        "claims": pd.DataFrame({"claim": moved["claim"], "was": before.reindex(moved.index),
                                "now": moved["verdict"]}).reset_index(names="id"),
    }


def change_phrase(changes: dict | None, snapshot_id: str) -> str:
    """One sentence for ``what_changed`` (or for no earlier snapshot)."""
    if changes is None:
        return f"There is no snapshot before {snapshot_id}: nothing to compare yet."
    frontier = ", ".join(changes["new_frontier_models"]) or "none"
    return (f"From {changes['old']} to {changes['new']}: {len(changes['new_models'])} new models, "
            f"{len(changes['repricings'])} list-price repricings, {len(changes['retirements'])} retirements, "
            f"{len(changes['claims'])} claim verdicts changed; new on the frontier: {frontier}.")


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
