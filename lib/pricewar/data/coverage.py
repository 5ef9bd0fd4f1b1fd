"""What a catalog holds: counts for `pricewar data validate --summary` and the data appendix."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pricewar.data import pricing
from pricewar.defaults import HISTORY_DEPTH_DATE, METRIC, METRICS

__all__ = ["documented_changes", "catalog_summary", "format_summary", "conflict_table", "conflict_records",
           "format_conflicts", "models_by_creator", "price_coverage", "source_freshness", "conflict_counts",
           "skipped_rows", "retirements", "sources_table", "open_price_ages", "versions_table",
           "price_ages", "data_age", "age_phrase", "announced_changes",
           "source_kinds", "score_coverage"]


def documented_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The price changes whose effective date a source states."""
    return changes[(changes["source"] == "curated") | changes["note"].fillna("").str.contains(pricing.DATED_CHANGE)]


def catalog_summary(cat) -> dict:
    """Counts describing the catalog (plain types, JSON-ready)."""
    models, prices, scores = cat.models, cat.prices, cat.scores
    changes = pricing.price_changes(prices)
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
        "documented_price_changes": int(len(documented_changes(changes))),
        "models_with_curated_launch_price": int(curated["model_id"].nunique()),
        "curated_price_changes": int(len(pricing.price_changes(curated))),
        "earliest_curated_price_date": _iso(curated["start_date"].min()),
        f"models_priced_before_{HISTORY_DEPTH_DATE}": int(
            prices.loc[prices["start_date"] < pd.Timestamp(HISTORY_DEPTH_DATE), "model_id"].nunique()),
        "packaged_prices_starting_on_an_observation_date": observation_starts(prices),
        "earliest_price_date": _iso(prices["start_date"].min()),
        "latest_price_date": _iso(prices["start_date"].max()),
        "scores": int(len(scores)),
        "models_with_scores_by_metric": {k: int(v) for k, v in scores.groupby("metric")["model_id"].nunique().items()},
        "conflicts": int(len(cat.conflicts)),
        "open_prices_by_last_observation": open_price_ages(cat),
        "skipped_rows": {source: sum(r["count"] for r in reasons.values())
                         for source, reasons in cat.manifest.get("skipped", {}).items()},
    }


def observation_starts(prices: pd.DataFrame) -> dict:
    """Packaged (non-curated) price intervals whose start is the day a source saw the price, not
    the day it began (``observed_from``): count, of how many, share in percent."""
    packaged = prices[prices["source"] != "curated"]
    observed = int(packaged["observed_from"].fillna(False).sum())
    share = round(100 * observed / len(packaged), 1) if len(packaged) else 0.0
    return {"prices": observed, "of": int(len(packaged)), "share_pct": share}


def _iso(value) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def format_summary(summary: dict) -> str:
    lines = [f"Catalog summary — snapshot {summary['snapshot']}"]
    for key, value in summary.items():
        if key == "snapshot":
            continue
        if isinstance(value, dict):
            inner = ", ".join(f"{k} ({', '.join(f'{a.replace(chr(95), chr(32))} {b}' for a, b in v.items())})"
                              if isinstance(v, dict) else f"{k} {v}" for k, v in value.items()) or "none"
            lines.append(f"  {key.replace('_', ' ')}: {inner}")
        else:
            lines.append(f"  {key.replace('_', ' ')}: {value}")
    return "\n".join(lines)


def conflict_table(cat, limit: int | None = None) -> pd.DataFrame:
    """The disagreements between sources, dates as ISO text, first ``limit`` rows."""
    frame = cat.conflicts.copy()
    for column in ("start_date", "end_date"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    frame["end_date"] = frame["end_date"].fillna("")
    return frame if limit is None else frame.head(limit)


def conflict_records(cat) -> list[dict]:
    return [{k: (None if v == "" or pd.isna(v) else v) for k, v in row.items()}
            for row in conflict_table(cat).to_dict("records")]


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


def models_by_creator(cat, top: int = 12) -> pd.DataFrame:
    """Models per creator (largest first), with how many have open weights; the rest as 'other'."""
    models = cat.models.assign(open_weights=cat.models["open_weights"].fillna(False).astype(bool))
    counts = models.groupby("creator").agg(models=("model_id", "size"), open_weights=("open_weights", "sum"))
    counts = counts.sort_values(["models", "open_weights"], ascending=False)
    head, tail = counts.head(top), counts.iloc[top:]
    if len(tail):
        head = pd.concat([head, pd.DataFrame({"models": [tail["models"].sum()],
                                              "open_weights": [tail["open_weights"].sum()]}, index=["other"])])
    head = head.reset_index(names="creator")
    head["closed_or_unknown"] = head["models"] - head["open_weights"]
    return head.astype({"models": int, "open_weights": int, "closed_or_unknown": int})


def price_coverage(cat) -> pd.DataFrame:
    """Price intervals starting in each year, by source (the reach of the dated history)."""
    prices = cat.prices.assign(year=cat.prices["start_date"].dt.year)
    table = prices.groupby(["year", "source"]).size().rename("intervals").reset_index()
    return table.sort_values(["year", "source"], ignore_index=True)


def source_freshness(cat) -> pd.DataFrame:
    """Each source: version, rows it contributes, and the newest price start date it gives."""
    prices = cat.prices
    rows = []
    versions = {**cat.manifest.get("packages", {}), "curated": "data/curated (git)"}
    for source, version in versions.items():
        part = prices[prices["source"] == source]
        newest = part["start_date"].max()
        rows.append({"source": source, "version": version, "price_intervals": int(len(part)),
                     "models_priced": int(part["model_id"].nunique()),
                     "newest_price_date": None if pd.isna(newest) else newest.date().isoformat()})
    return pd.DataFrame(rows).set_index("source")


def conflict_counts(cat) -> pd.DataFrame:
    """Disagreements between sources: how many, per kept source and other source."""
    conflicts = cat.conflicts
    if conflicts.empty:
        return pd.DataFrame(columns=["kept_source", "other_source", "conflicts", "models"])
    return (conflicts.groupby(["kept_source", "other_source"])
            .agg(conflicts=("model_id", "size"), models=("model_id", "nunique"))
            .sort_values("conflicts", ascending=False))


def skipped_rows(cat) -> pd.DataFrame:
    """Rows the refresh left out, by source and reason, with an example each."""
    rows = [{"source": source, "reason": reason, "rows": info["count"],
             "example": (info.get("examples") or [""])[0]}
            for source, reasons in cat.manifest.get("skipped", {}).items() for reason, info in reasons.items()]
    return pd.DataFrame(rows, columns=["source", "reason", "rows", "example"]).sort_values(
        "rows", ascending=False).set_index(["source", "reason"])


def retirements(cat) -> pd.DataFrame:
    """Models shut down by their creator (data/curated/retirements.csv): no price from that day on."""
    rows = cat.manifest.get("retirements", [])
    return pd.DataFrame(rows, columns=["model_id", "host", "retired_date", "source_url", "note"]).sort_values(
        ["retired_date", "model_id"]).set_index("model_id")


def sources_table(cat) -> pd.DataFrame:
    """The data sources (the snapshot's ``sources.yaml``) with their versions: the snapshot's
    package versions where they apply."""
    packages = cat.manifest.get("packages", {})
    return pd.DataFrame([{"source": s["id"], "gives": s.get("gives", ""), "licence": s.get("licence", ""),
                          "version": packages.get(s["id"], s.get("version", "")), "url": s.get("url", "")}
                         for s in cat.sources])


STALE_DAYS = 90  # an open price its source last observed longer ago than this is not re-observed


def open_price_ages(cat) -> dict:
    """Open-ended prices (no end date) by source: when the source last observed them (its newest
    data, from the manifest) and how many are not re-observed within ``STALE_DAYS`` of the snapshot.
    Curated rows have no observation date (each was checked on its own source page), nor do
    genai-prices' (the package carries no data date)."""
    observed = cat.manifest.get("observed", {})
    open_prices = cat.prices[cat.prices["end_date"].isna()]
    out = {}
    for source, count in open_prices["source"].value_counts().sort_index().items():
        day = observed.get(source)
        age = (cat.snapshot_date - dt.date.fromisoformat(day)).days if day else None
        out[source] = {"open_prices": int(count), "last_observed": day, "age_days": age,
                       "not_reobserved": int(count) if age is not None and age > STALE_DAYS else 0}
    return out


def versions_table(cat) -> pd.DataFrame:
    """Which model version each moving API name served, and when (``data/curated/versions.csv``)."""
    columns = ["api_name", "host", "serves", "start_date", "end_date", "source_url", "note"]
    frame = cat.versions[columns].copy()
    for column in ("start_date", "end_date"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d").fillna("")
    return frame.sort_values(["api_name", "host", "start_date"]).set_index(["api_name", "host"])


def price_ages(cat) -> pd.DataFrame:
    """``open_price_ages`` as a table, one row per source."""
    return pd.DataFrame.from_dict(open_price_ages(cat), orient="index").rename_axis("source")


def data_age(cat) -> dict:
    """How old the snapshot's numbers are: the snapshot date, the newest package observation of
    current prices, the newest score date, and how many models released since then (priced by
    their creator) have no score — plain types, for a page's header."""
    observed = sorted(cat.manifest.get("observed", {}).values())
    newest_score = cat.scores["as_of"].max()
    first_party = cat.prices[cat.prices["host"] == cat.prices["model_id"].map(cat.models.set_index("model_id")["creator"])]
    released = cat.models.set_index("model_id")["release_date"]
    scored = set(cat.scores["model_id"])
    newer = {m for m in set(first_party["version_id"]) if m in released.index and released[m] > newest_score}
    return {"snapshot": cat.snapshot_id, "prices_observed": observed[-1] if observed else None,
            "newest_score": None if pd.isna(newest_score) else newest_score.date().isoformat(),
            "unscored_since": len(newer - scored)}


def age_phrase(age: dict) -> str:
    """``data_age`` as one line for a page; the count of unscored newer models only when there are any."""
    unscored = age["unscored_since"]
    if not unscored:
        since = ""
    elif unscored == 1:
        since = " (1 model released since has no score)"
    else:
        since = f" ({unscored} models released since have no score)"
    return (f"Data: snapshot {age['snapshot']} · prices observed up to {age['prices_observed'] or 'n/a'} · "
            f"scores up to {age['newest_score'] or 'n/a'}{since}")


def announced_changes(cat, days: int = 90) -> pd.DataFrame:
    """Price changes the providers have announced for the next ``days`` after the snapshot: announced
    prices that start then, and current prices whose announced end falls then (USD per 1M tokens)."""
    day = pd.Timestamp(cat.snapshot_date)
    until = day + pd.Timedelta(days=days)
    starts = cat.announced[(cat.announced["start_date"] > day) & (cat.announced["start_date"] <= until)]
    ends = cat.prices[(cat.prices["end_date"] > day) & (cat.prices["end_date"] <= until)]
    rows = [{"date": r.start_date, "model_id": r.model_id, "host": r.host, "change": "new price",
             "input_usd_per_mtok": r.input_usd_per_mtok, "output_usd_per_mtok": r.output_usd_per_mtok,
             "source_url": r.source_url} for r in starts.itertuples()]
    rows += [{"date": r.end_date, "model_id": r.model_id, "host": r.host, "change": "current price ends",
              "input_usd_per_mtok": r.input_usd_per_mtok, "output_usd_per_mtok": r.output_usd_per_mtok,
              "source_url": r.source_url} for r in ends.itertuples()]
    frame = pd.DataFrame(rows, columns=["date", "model_id", "host", "change", "input_usd_per_mtok",
                                        "output_usd_per_mtok", "source_url"])
    return frame.sort_values(["date", "model_id", "change"], ignore_index=True)


def source_kinds(cat) -> pd.DataFrame:
    """Curated rows by the kind of source they cite (``provenance.source_kind``), per table, with the
    share of first-party and archived sources (percent)."""
    from pricewar.data import provenance

    tables = {
        "prices": cat.prices.loc[cat.prices["source"] == "curated", "source_url"],
        "models": cat.models.loc[cat.models["source"] == "curated", "source_url"],
        "scores": cat.scores["source_url"],
        "retirements": pd.Series([r["source_url"] for r in cat.manifest.get("retirements", [])], dtype=str),
        "versions": cat.versions["source_url"],
        "classified_changes": cat.classified_changes["source_url"],
    }
    rows = []
    for table, urls in tables.items():
        kinds = urls.fillna("").map(provenance.source_kind).value_counts()
        row = {"table": table, **{kind: int(kinds.get(kind, 0)) for kind in provenance.KINDS}}
        total = sum(row[k] for k in provenance.KINDS)
        row["first_party_or_archive_pct"] = round(100 * (row["first-party"] + row["archive"]) / total, 1) if total else None
        rows.append(row)
    frame = pd.DataFrame(rows)
    totals = frame[provenance.KINDS].sum()
    frame.loc[len(frame)] = {"table": "all", **totals.to_dict(),
                             "first_party_or_archive_pct": round(100 * (totals["first-party"] + totals["archive"]) / totals.sum(), 1)}
    return frame.set_index("table")


# Ids of models that do not answer text prompts with text (embedding, speech, image, video, moderation).
NOT_TEXT = r"embed|tts|whisper|transcri|speech|audio|asr|voxtral|captioner|image|imagen|veo|sora|dall-e|realtime|moderation|live|lyria|rerank"


def score_coverage(cat, metric: str | None = METRIC, since: str = "2025-07-01", until: str | None = None,
                   creators: int = 8) -> pd.DataFrame:
    """The text models released between ``since`` and ``until`` (default: the snapshot date) by the
    ``creators`` largest creators (by models in the catalog) that have a first-party price, each
    with its ``metric`` score or NaN: the models a report cannot place on a capability axis. With
    ``metric=None`` a score in any declared metric counts, and ``metric`` names the first one in
    ``METRICS`` order (a model's coverage, not one axis). A moving API name (``versions.csv``) is not
    a model: the versions it served are counted instead."""
    models = cat.models.set_index("model_id")
    top = list(cat.models.loc[cat.models["creator"] != "unknown", "creator"].value_counts().head(creators).index)
    first_party = cat.prices[cat.prices["host"] == cat.prices["model_id"].map(models["creator"])]
    versions = set(first_party["version_id"]) - set(cat.versions["api_name"])
    released = models["release_date"]
    end = pd.Timestamp(until or cat.snapshot_date)
    text = models["output_modalities"].fillna("").isin(["", "text"]) & ~models.index.str.contains(NOT_TEXT)
    chosen = [m for m in versions if m in models.index and models.at[m, "creator"] in top and text[m]
              and pd.notna(released[m]) and pd.Timestamp(since) <= released[m] <= end]
    rows = cat.scores[cat.scores["metric"] == metric] if metric else cat.scores[cat.scores["metric"].isin(list(METRICS))]
    best = rows.groupby(["model_id", "metric"])["score"].max().reset_index()
    best["order"] = best["metric"].map({m: i for i, m in enumerate(METRICS)})
    best = best.sort_values(["model_id", "order"]).drop_duplicates("model_id").set_index("model_id")
    frame = pd.DataFrame({"model_id": chosen})
    frame["creator"] = frame["model_id"].map(models["creator"])
    frame["release_date"] = frame["model_id"].map(released)
    frame["metric"] = frame["model_id"].map(best["metric"])
    frame["score"] = frame["model_id"].map(best["score"])
    return frame.sort_values(["creator", "release_date", "model_id"], ascending=[True, False, True], ignore_index=True)


def vendored_files(cat) -> pd.DataFrame:
    """The research data vendored in the snapshot (manifest ``vendored``): source, file, what it
    gives, its upstream copy and commit date, its sha256 (first 12 hex digits)."""
    rows = [{"source": source, "file": entry["name"], "gives": entry.get("gives", ""),
             "commit_date": str(entry.get("commit_date", "")), "sha256": entry.get("sha256", "")[:12],
             "upstream_url": entry.get("upstream", "")}
            for source, entries in cat.manifest.get("vendored", {}).items() for entry in entries]
    return pd.DataFrame(rows, columns=["source", "file", "gives", "commit_date", "sha256", "upstream_url"])
