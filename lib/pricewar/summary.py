"""What a catalog holds: counts for `pricewar data validate --summary` and the data appendix."""

from __future__ import annotations

import pandas as pd


def price_changes(prices: pd.DataFrame) -> pd.DataFrame:
    """Consecutive intervals of one (model_id, host) whose input or output price differs."""
    ordered = prices.sort_values(["model_id", "host", "start_date"])
    grouped = ordered.groupby(["model_id", "host"])
    previous_in = grouped["input_usd_per_mtok"].shift()
    previous_out = grouped["output_usd_per_mtok"].shift()
    changed = previous_in.notna() & ((ordered["input_usd_per_mtok"] != previous_in)
                                     | (ordered["output_usd_per_mtok"] != previous_out))
    return ordered[changed]


def catalog_summary(cat) -> dict:
    """Counts describing the catalog (plain types, JSON-ready)."""
    models, prices, scores = cat.models, cat.prices, cat.scores
    changes = price_changes(prices)
    curated = prices[prices["source"] == "curated"]
    first_party = prices[prices["host"] == prices["model_id"].map(dict(zip(models["model_id"], models["creator"])))]
    return {
        "snapshot": cat.snapshot_id,
        "packages": cat.manifest.get("packages", {}),
        "models": int(len(models)),
        "models_by_creator_top10": {k: int(v) for k, v in models["creator"].value_counts().head(10).items()},
        "open_weights_models": int(models["open_weights"].fillna(False).sum()),
        "models_with_release_date": int(models["release_date"].notna().sum()),
        "hosts": int(prices["host"].nunique()),
        "price_intervals": int(len(prices)),
        "price_intervals_by_source": {k: int(v) for k, v in prices["source"].value_counts().sort_index().items()},
        "priced_models_by_source": {k: int(v) for k, v in prices.groupby("source")["model_id"].nunique().sort_index().items()},
        "models_with_first_party_price": int(first_party["model_id"].nunique()),
        "models_with_dated_history": int(changes["model_id"].nunique()),
        "price_changes": int(len(changes)),
        "models_with_curated_launch_price": int(curated["model_id"].nunique()),
        "curated_price_changes": int(len(price_changes(curated))),
        "earliest_curated_price_date": _iso(curated["start_date"].min()),
        "earliest_price_date": _iso(prices["start_date"].min()),
        "latest_price_date": _iso(prices["start_date"].max()),
        "scores": int(len(scores)),
        "models_with_scores_by_metric": {k: int(v) for k, v in scores.groupby("metric")["model_id"].nunique().items()},
        "conflicts": int(len(cat.conflicts)),
        "skipped_rows": {source: sum(r["count"] for r in reasons.values())
                         for source, reasons in cat.manifest.get("skipped", {}).items()},
    }


def _iso(value) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def format_summary(summary: dict) -> str:
    lines = [f"Catalog summary — snapshot {summary['snapshot']}"]
    for key, value in summary.items():
        if key == "snapshot":
            continue
        if isinstance(value, dict):
            inner = ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
            lines.append(f"  {key.replace('_', ' ')}: {inner}")
        else:
            lines.append(f"  {key.replace('_', ' ')}: {value}")
    return "\n".join(lines)


def conflict_records(cat) -> list[dict]:
    frame = cat.conflicts.copy()
    for column in ("start_date", "end_date"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def format_conflicts(cat) -> str:
    conflicts = cat.conflicts
    if conflicts.empty:
        return "No conflicts: no two sources priced the same model, host and day differently."
    lines = [f"{len(conflicts)} conflicts (kept the higher-precedence source; "
             f"precedence: {' > '.join(cat.manifest.get('precedence', []))}):"]
    for row in conflicts.itertuples():
        end = "" if pd.isna(row.end_date) else row.end_date.date().isoformat()
        lines.append(
            f"  {row.model_id} @ {row.host} {row.start_date.date()}..{end}: kept {row.kept_source} "
            f"{row.kept_input_usd_per_mtok:g}/{row.kept_output_usd_per_mtok:g}, "
            f"{row.other_source} says {row.other_input_usd_per_mtok:g}/{row.other_output_usd_per_mtok:g}")
    return "\n".join(lines)
