"""The catalog: a validated snapshot as DataFrames, with name resolution and dated prices.

>>> from pricewar import catalog
>>> cat = catalog.load()                       # latest committed snapshot
>>> cat.price_at("gpt-4o", "2025-07-01")       # USD per 1M tokens, first-party API
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pricewar import ids, schema, snapshot as snapshots
from pricewar.paths import relative


class UnknownModelError(LookupError):
    """A model name the catalog cannot resolve; ``suggestions`` holds the closest names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown model {name!r}{hint}")


class NoPriceError(LookupError):
    """No list price for the model (at that host) on the requested day."""


@dataclass
class Catalog:
    snapshot_id: str
    folder: Path
    manifest: dict
    models: pd.DataFrame
    prices: pd.DataFrame
    scores: pd.DataFrame
    aliases: pd.DataFrame
    conflicts: pd.DataFrame

    @property
    def snapshot_date(self) -> dt.date:
        return dt.date.fromisoformat(self.snapshot_id)

    def resolve(self, name: str) -> str:
        """Canonical model id for a model id, alias, dated or provider-prefixed name."""
        known = self._model_ids
        alias_map = self._alias_map
        key = name.strip().lower()
        for candidate in (key, key.rsplit("/", 1)[-1], ids.base_model_id(key), ids.strip_date(ids.base_model_id(key))):
            if candidate in known:
                return candidate
            if candidate in alias_map:
                return alias_map[candidate]
        pool = sorted(known)
        suggestions = difflib.get_close_matches(key, pool, n=5, cutoff=0.6)
        raise UnknownModelError(name, suggestions)

    def price_at(self, model: str, date: str | dt.date | None = None, host: str | None = None) -> dict:
        """The list price in force on ``date`` (default: the snapshot date), USD per 1M tokens.

        ``host`` None: the creator's own API if it prices the model, else the
        median across the hosts that price it that day.
        """
        model_id = self.resolve(model)
        day = pd.Timestamp(date or self.snapshot_date)
        rows = self.prices[self.prices["model_id"] == model_id]
        if rows.empty:
            raise NoPriceError(f"{model_id} has no price in snapshot {self.snapshot_id}")
        if host is None:
            creator = self.models.loc[self.models["model_id"] == model_id, "creator"].iloc[0]
            own = rows[rows["host"] == creator]
            own_live = own[(own["start_date"] <= day) & (own["end_date"].isna() | (own["end_date"] > day))]
            if not own_live.empty or len(own) == len(rows):
                return self._in_force(model_id, own if not own.empty else rows, creator, day)
            return self._median(model_id, rows[rows["host"] != creator], day)
        host = ids.canonical_host(host)
        at_host = rows[rows["host"] == host]
        if at_host.empty:
            hosts = ", ".join(sorted(rows["host"].unique()))
            raise NoPriceError(f"{model_id} has no price at host {host!r}; hosts: {hosts}")
        return self._in_force(model_id, at_host, host, day)

    def _in_force(self, model_id: str, rows: pd.DataFrame, host: str, day: pd.Timestamp) -> dict:
        first = rows["start_date"].min()
        if day < first:
            raise NoPriceError(f"{model_id} at {host}: no price before {first.date()} (pricing starts on {first.date()})")
        live = rows[(rows["start_date"] <= day) & (rows["end_date"].isna() | (rows["end_date"] > day))]
        if live.empty:
            last_end = rows["end_date"].max()
            raise NoPriceError(f"{model_id} at {host}: no list price on {day.date()} (last price ended {last_end.date()})")
        row = live.iloc[0]
        return _price_dict(model_id, host, day, row["input_usd_per_mtok"], row["output_usd_per_mtok"],
                           row["cached_input_usd_per_mtok"], row["source"], row["source_url"])

    def _median(self, model_id: str, rows: pd.DataFrame, day: pd.Timestamp) -> dict:
        live = rows[(rows["start_date"] <= day) & (rows["end_date"].isna() | (rows["end_date"] > day))]
        if live.empty:
            first = rows["start_date"].min()
            raise NoPriceError(f"{model_id}: no host prices it on {day.date()} (pricing starts on {first.date()})")
        hosts = sorted(live["host"].unique())
        return _price_dict(model_id, "median", day, live["input_usd_per_mtok"].median(),
                           live["output_usd_per_mtok"].median(), live["cached_input_usd_per_mtok"].median(),
                           f"median of {len(hosts)} hosts: {', '.join(hosts)}", "")

    def prices_on(self, date=None, ratio: float = 3.0) -> pd.DataFrame:
        """Every model's list price on ``date`` (default: the snapshot date), one row per model.

        Like ``price_at``: the creator's own API where it prices the model that day,
        else the median across the hosts that do (``host`` is then "median of N").
        Adds ``blended_usd_per_mtok`` (ratio·input + output)/(ratio + 1), ``creator``
        and ``open_weights``. Models without a price that day are left out.
        """
        day = pd.Timestamp(date or self.snapshot_date)
        prices = self.prices
        live = prices[(prices["start_date"] <= day) & (prices["end_date"].isna() | (prices["end_date"] > day))]
        creator = self.models.set_index("model_id")["creator"]
        live = live.assign(creator=live["model_id"].map(creator))
        own = live[live["host"] == live["creator"]].drop_duplicates("model_id")
        rest = live[~live["model_id"].isin(own["model_id"])]
        median = rest.groupby("model_id").agg(
            input_usd_per_mtok=("input_usd_per_mtok", "median"), output_usd_per_mtok=("output_usd_per_mtok", "median"),
            cached_input_usd_per_mtok=("cached_input_usd_per_mtok", "median"), hosts=("host", "nunique"),
            creator=("creator", "first")).reset_index()
        median["host"] = "median of " + median["hosts"].astype(str)
        median["source"], median["source_url"] = "median of hosts", ""
        columns = ["model_id", "creator", "host", "input_usd_per_mtok", "output_usd_per_mtok",
                   "cached_input_usd_per_mtok", "source", "source_url"]
        table = pd.concat([own[columns], median[columns]], ignore_index=True)
        table["blended_usd_per_mtok"] = (ratio * table["input_usd_per_mtok"] + table["output_usd_per_mtok"]) / (ratio + 1)
        flags = self.models.set_index("model_id")[["name", "open_weights", "reasoning", "release_date"]]
        table = table.join(flags, on="model_id")
        return table.sort_values("model_id", ignore_index=True)

    @functools.cached_property
    def _model_ids(self) -> set[str]:
        return set(self.models["model_id"])

    @functools.cached_property
    def _alias_map(self) -> dict[str, str]:
        return dict(zip(self.aliases["alias"], self.aliases["model_id"]))


def _price_dict(model_id, host, day, inp, out, cached, source, url) -> dict:
    return {
        "model_id": model_id, "host": host, "date": day.date().isoformat(),
        "input_usd_per_mtok": float(inp), "output_usd_per_mtok": float(out),
        "cached_input_usd_per_mtok": None if pd.isna(cached) else float(cached),
        "source": source, "source_url": url or "",
    }


def check_snapshot(folder: Path, snapshot_date: dt.date | None = None) -> tuple[dict[str, pd.DataFrame], list[schema.Problem]]:
    """Read every table of a snapshot folder as text and collect all problems.

    ``snapshot_date`` defaults to the folder's name (``YYYY-MM-DD``).
    """
    if snapshot_date is None and schema._DATE.match(folder.name):
        snapshot_date = dt.date.fromisoformat(folder.name)
    frames, problems, manifest = {}, [], {}
    if (folder / "manifest.json").exists():
        manifest = snapshots.read_manifest(folder)
    else:
        problems.append(schema.Problem(relative(folder / "manifest.json"), 0, "", "", "missing file"))
    for name in snapshots.TABLE_FILES:
        path = folder / f"{name}.csv"
        if not path.exists():
            problems.append(schema.Problem(relative(path), 0, "", "", "missing file"))
            continue
        expected = manifest.get("files", {}).get(f"{name}.csv", {}).get("sha256")
        if expected and snapshots.sha256(path) != expected:
            problems.append(schema.Problem(relative(path), 0, "", "", "sha256 differs from manifest.json: "
                                           "the file changed after the snapshot was built"))
        frame, read_problems = schema.read_text_table(path)
        problems += read_problems
        if frame is not None:
            frames[name] = frame
    known = set(frames["models"]["model_id"]) if "models" in frames and "model_id" in frames["models"] else None
    for name, frame in frames.items():
        problems += schema.check_table(
            frame, name, relative(folder / f"{name}.csv"), snapshot_date=snapshot_date,
            known_models=None if name in ("models", "conflicts") else known,
            require_rows=name in ("models", "prices"))
    if not problems:
        problems += schema.check_curated_rules(frames, relative(folder / "prices.csv"), manifest.get("unscored", {}))
    return frames, problems


def load(snapshot: str = "latest", root: Path | None = None) -> Catalog:
    """Load and validate a snapshot ("latest" or a date); raises ``schema.ValidationError``."""
    folder = snapshots.resolve(snapshot, root)
    frames, problems = check_snapshot(folder)
    if problems:
        raise schema.ValidationError(problems)
    typed = {name: schema.typed(frame, name) for name, frame in frames.items()}
    return Catalog(snapshot_id=folder.name, folder=folder, manifest=snapshots.read_manifest(folder), **typed)
