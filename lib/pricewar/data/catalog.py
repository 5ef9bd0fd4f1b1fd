"""The catalog: a validated snapshot as DataFrames, with name resolution and dated prices.

It also carries the report inputs the snapshot holds (``cat.anchors``, ``cat.claims``,
``cat.sources``, ``cat.self_hosting``), so a report reads nothing outside its snapshot.

>>> from pricewar.data import catalog
>>> cat = catalog.load()                       # latest committed snapshot
>>> cat.price_at("gpt-4o", "2025-07-01")       # USD per 1M tokens, first-party API
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pricewar.data import ids, pricing, schema, snapshot as snapshots
from pricewar.data.paths import relative
from pricewar.defaults import BLEND_RATIO
from pricewar.errors import NoPriceError, SnapshotError, UnknownModelError, ValidationError

__all__ = ["Catalog", "check_snapshot", "load"]


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
    versions: pd.DataFrame  # which model version each API name served, and when (api_name, host, serves, ...)
    classified_changes: pd.DataFrame  # what curated sources say a price change was (model_id, host, date, change_class)
    announced: pd.DataFrame  # prices providers have announced for after the snapshot date
    task_runs: pd.DataFrame  # tokens one run of a benchmark used, per model version (Epoch AI's hub)
    inputs: dict = field(default_factory=dict)  # report inputs the snapshot holds (see the properties)

    @property
    def snapshot_date(self) -> dt.date:
        return dt.date.fromisoformat(self.snapshot_id)

    @property
    def anchors(self) -> pd.DataFrame:
        """Published estimates (``anchors.yaml``): id, who, finding, value_low, value_high, unit, metric, url."""
        return self._input("anchors")

    @property
    def claims(self) -> list[dict]:
        """The article's claims register (``claims.yaml``): id, quote, section, topic, check, args."""
        return self._input("claims")

    @property
    def sources(self) -> list[dict]:
        """Every data source (``sources.yaml``): id, gives, licence, version, url, notes."""
        return self._input("sources")

    @property
    def self_hosting(self) -> pd.DataFrame:
        """Sourced self-hosting numbers (``self_hosting.csv``): GPU prices (USD per GPU-hour), throughputs."""
        return self._input("self_hosting")

    def _input(self, name: str):
        if name not in self.inputs:
            file = snapshots.INPUT_FILES[name]
            raise SnapshotError(f"snapshot {self.snapshot_id} holds no {file} (built without it); rebuild it with "
                                f"`pricewar data refresh --date {self.snapshot_id} --force`")
        return self.inputs[name]

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

    def display_name(self, model: str) -> str:
        """A model's name for readers (``GPT-4o (2024-05-13)``), from the catalog's ``name``; when several
        models share that name, their release month is added (``GPT-5.4 Pro (Mar 2026)``). An id the
        catalog does not know is shown as it is."""
        shown = self._shown_names
        if model not in shown:
            try:
                model_id = self.resolve(model)
            except UnknownModelError:
                shown[model] = str(model)
            else:
                shown[model] = self._display_names.get(model_id, model_id)
        return shown[model]

    @functools.cached_property
    def _shown_names(self) -> dict[str, str]:
        return {}  # display_name's answers: a page asks for the same few hundred names many times

    @functools.cached_property
    def _display_names(self) -> dict[str, str]:
        # a reseller's "Qwen: Qwen3 VL 8B" or a repository's "Qwen/Qwen3-VL-32B" is the model's name without the prefix
        name = self.models["name"].fillna("").str.replace(r"^[A-Za-z0-9 .-]+: ", "", regex=True)
        name = name.str.replace(r"^[A-Za-z0-9.-]+/(?=\S)", "", regex=True)
        bare = (name == "") | (name == self.models["model_id"])  # no name of its own: say its id in words
        models = self.models.assign(name=name.where(~bare, self.models["model_id"].map(_id_in_words)))
        month = models["release_date"].dt.strftime("%b %Y")
        shared = models.groupby("name")["release_date"].transform("nunique") > 1
        names = models["name"].where(~shared | month.isna(), models["name"] + " (" + month + ")")
        return dict(zip(models["model_id"], names))

    def price_at(self, model: str, date: str | dt.date | None = None, host: str | None = None) -> dict:
        """The list price in force on ``date`` (default: the snapshot date), USD per 1M tokens,
        and the model version the name served that day (``version_id``).

        ``host`` None: the creator's own API if it prices the model, else the
        median across the hosts that price it that day (``pricing.creator_else_median``).
        Raises ``NoPriceError`` (saying when a retired model was retired, and its replacement).
        """
        model_id = self.resolve(model)
        day = pd.Timestamp(date or self.snapshot_date)
        if day.date() > self.snapshot_date:  # a later day's price is not known yet: never today's, silently
            announced = self.announced[self.announced["model_id"] == model_id] if "model_id" in self.announced else []
            said = "; announced: " + ", ".join(f"{r.input_usd_per_mtok:g}/{r.output_usd_per_mtok:g} at {r.host} from "
                                               f"{r.start_date.date()}" for r in announced.itertuples()) if len(announced) else ""
            raise NoPriceError(f"{day.date()} is after snapshot {self.snapshot_id}: its prices are known up to "
                               f"{self.snapshot_date}{said}")
        rows = self.prices[self.prices["model_id"] == model_id]
        if rows.empty:
            raise NoPriceError(f"{model_id} has no price in snapshot {self.snapshot_id}"
                               + self._retired_phrase(model_id, host, day))
        if host is None and day < rows["start_date"].min():  # the earliest price at any host, not one host's
            first = rows.loc[rows["start_date"].idxmin()]
            raise NoPriceError(f"{model_id}: no price before {first['start_date'].date()} (pricing starts on "
                               f"{first['start_date'].date()}, at {first['host']})")
        if host is None:
            creator = self.models.loc[self.models["model_id"] == model_id, "creator"].iloc[0]
            own = rows[rows["host"] == creator]
            own_live = pricing.in_force(own, day)
            if not own_live.empty or len(own) == len(rows):
                return self._in_force(model_id, own if not own.empty else rows, creator, day)
            retired = self._retired_phrase(model_id, creator, day)
            if retired and not own.empty:  # the creator shut it down: a reseller's listing is not its price
                others = ", ".join(sorted(set(pricing.in_force(rows, day)["host"]) - {creator})) or "none"
                listed = f" (other hosts still list it: {others})" if others != "none" else ""
                raise NoPriceError(f"{model_id} at {creator}: no list price on {day.date()}{retired}{listed}")
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
        live = pricing.in_force(rows, day)
        if live.empty:
            last_end = rows["end_date"].max()
            raise NoPriceError(f"{model_id} at {host}: no list price on {day.date()} (last price ended {last_end.date()})"
                               + self._retired_phrase(model_id, host, day))
        return _row_price(model_id, live.iloc[0], day)

    def _median(self, model_id: str, rows: pd.DataFrame, day: pd.Timestamp) -> dict:
        live = pricing.in_force(rows, day)
        if live.empty:
            first = rows["start_date"].min()
            raise NoPriceError(f"{model_id}: no host prices it on {day.date()} (pricing starts on {first.date()})")
        hosts = sorted(live["host"].unique())
        if len(hosts) == 1:  # one host: its own price and source, not a "median of 1"
            return _row_price(model_id, live.iloc[0], day)
        versions = sorted(live["version_id"].unique())
        return _price_dict(model_id, "median", day, live["input_usd_per_mtok"].median(),
                           live["output_usd_per_mtok"].median(), live["cached_input_usd_per_mtok"].median(),
                           f"median of {len(hosts)} hosts: {', '.join(hosts)}", "", ", ".join(versions))

    def serving(self, date=None) -> dict[str, str]:
        """API name → the model version it served at its creator's API on ``date`` (default: the
        snapshot date), for the names ``versions`` covers that day; any other name serves itself."""
        day = pd.Timestamp(date or self.snapshot_date)
        live = pricing.in_force(self.versions, day)
        creator = live["api_name"].map(self.models.set_index("model_id")["creator"])
        live = live[(live["host"] == creator) | (live["host"] == "all")]
        live = live.sort_values("host", key=lambda h: h == "all", ascending=False)  # the creator's row last: it wins
        return dict(zip(live["api_name"], live["serves"]))

    def retirement(self, model_id: str, host: str | None = None) -> dict | None:
        """The retirement (``data/curated/retirements.csv``) that ended ``model_id`` at ``host`` (any
        host when None): the id itself, one of its mode ids, or a version it served. None if none."""
        served = set(self.prices.loc[self.prices["model_id"] == model_id, "version_id"])
        rows = [r for r in self.manifest.get("retirements", []) if host is None or r["host"] in ("all", host)]
        own = [r for r in rows if r["model_id"] == model_id]  # the id's own retirement before a version's it once served
        mode = [r for r in rows if r["model_id"] == ids.variant_base(model_id) and served <= {model_id}]  # as build._retired_ids
        versions = [r for r in rows if r["model_id"] in served]
        return next(iter(own + mode + versions), None)

    def _retired_phrase(self, model_id: str, host: str | None, day: pd.Timestamp) -> str:
        row = self.retirement(model_id, host)
        if row is None or pd.Timestamp(row["retired_date"]) > day:
            return ""
        replaced = f"; replaced by {row['replacement']}" if row.get("replacement") else "; no replacement named"
        return f": retired on {row['retired_date']} ({row['source_url']}){replaced}"

    def prices_on(self, date=None, ratio: float = BLEND_RATIO) -> pd.DataFrame:
        """Every model's list price on ``date`` (default: the snapshot date), one row per model.

        Like ``price_at``: the creator's own API where it prices the model that day, else the
        median across the hosts that do (``pricing.creator_else_median``), with
        ``blended_usd_per_mtok`` at ``ratio`` (input tokens per output token).
        """
        return pricing.creator_else_median(self.prices, self.models, pd.Timestamp(date or self.snapshot_date), ratio)

    @functools.cached_property
    def _model_ids(self) -> set[str]:
        return set(self.models["model_id"])

    @functools.cached_property
    def _alias_map(self) -> dict[str, str]:
        return dict(zip(self.aliases["alias"], self.aliases["model_id"]))


_UPPER = {"gpt", "glm", "vl", "oss", "llm", "r1", "v3", "v4", "xl"}


@functools.lru_cache(maxsize=None)
def _id_in_words(model_id: str) -> str:
    """A model id as words when the catalog has no name for it: ``claude-mythos-5-1`` → "Claude Mythos 5.1",
    ``gpt-5.6-sol`` → "GPT-5.6 Sol", ``qwen3-vl-30b-a3b`` → "Qwen3 VL 30B A3B"."""
    words = []
    for word in re.split(r"[-_ ]+", model_id):
        if re.fullmatch(r"\d", word) and words and re.fullmatch(r"\d+(\.\d+)*", words[-1]):
            words[-1] += "." + word  # Anthropic's "4-8" is version 4.8
        elif word.lower() in _UPPER or re.fullmatch(r"\d+(\.\d+)?[bkm]|a\d+b", word.lower()):
            words.append(word.upper())
        else:
            words.append(word[:1].upper() + word[1:])
    return re.sub(r"^(GPT|GLM) (?=\d)", r"\1-", " ".join(words))


def _row_price(model_id: str, row, day) -> dict:
    """``_price_dict`` of one price row (USD per 1M tokens) at its own host, with its source."""
    return _price_dict(model_id, row["host"], day, row["input_usd_per_mtok"], row["output_usd_per_mtok"],
                       row["cached_input_usd_per_mtok"], row["source"], row["source_url"], row["version_id"])


def _price_dict(model_id, host, day, inp, out, cached, source, url, version) -> dict:
    return {
        "model_id": model_id, "version_id": version, "host": host, "date": day.date().isoformat(),
        "input_usd_per_mtok": float(inp), "output_usd_per_mtok": float(out),
        "cached_input_usd_per_mtok": None if pd.isna(cached) else float(cached),
        "source": source, "source_url": url or "",
    }


def check_snapshot(folder: Path, snapshot_date: dt.date | None = None) -> tuple[dict, list[schema.Problem]]:
    """Read every file of a snapshot folder as text and collect all problems.

    Returns the tables (name → text DataFrame) and the report inputs the snapshot holds
    (``anchors``, ``claims``, ``sources``: lists of entries; ``self_hosting``: a text
    DataFrame). ``snapshot_date`` defaults to the folder's name (``YYYY-MM-DD``).
    """
    if snapshot_date is None and schema._DATE.match(folder.name):
        snapshot_date = dt.date.fromisoformat(folder.name)
    frames, problems, manifest = {}, [], {}
    if (folder / "manifest.json").exists():
        manifest = snapshots.read_manifest(folder)
    else:
        problems.append(schema.Problem(relative(folder / "manifest.json"), 0, "", "", "missing file"))
    listed = manifest.get("files", {})
    for name in snapshots.TABLE_FILES:
        if name in snapshots.LATER_TABLES and manifest and f"{name}.csv" not in listed:
            frames[name] = pd.DataFrame({c: pd.Series(dtype=str) for c in schema.TABLES[name]})
            continue  # built before this table existed
        frame, file_problems = _read_checked(folder / f"{name}.csv", listed)
        problems += file_problems
        if frame is not None:
            frames[name] = frame
    known = set(frames["models"]["model_id"]) if "models" in frames and "model_id" in frames["models"] else None
    for name, frame in list(frames.items()):
        problems += schema.check_table(
            frame, name, relative(folder / f"{name}.csv"), snapshot_date=snapshot_date,
            known_models=None if name in ("models", "conflicts") else known,
            require_rows=name in ("models", "prices"))
    for name, file in snapshots.INPUT_FILES.items():
        if file in listed:  # a snapshot built before report inputs were copied lists none
            value, file_problems = _read_checked(folder / file, listed, name, snapshot_date)
            problems += file_problems
            frames[name] = value
    if not problems:
        problems += schema.check_curated_rules(frames, relative(folder / "prices.csv"), manifest.get("unscored", {}))
    return frames, problems


def _read_checked(path: Path, listed: dict, input_name: str | None = None, snapshot_date: dt.date | None = None):
    """One snapshot file read as text, checked against its manifest sha256 (and, for a report
    input, against its schema): (content or None, problems)."""
    if not path.exists():
        return None, [schema.Problem(relative(path), 0, "", "", "missing file")]
    problems = []
    expected = listed.get(path.name, {}).get("sha256")
    if expected and snapshots.sha256(path) != expected:
        problems.append(schema.Problem(relative(path), 0, "", "", "sha256 differs from manifest.json: "
                                       "the file changed after the snapshot was built"))
    content, read_problems = (schema.read_input(path, input_name, snapshot_date) if input_name
                              else schema.read_text_table(path))
    return content, problems + read_problems


# Snapshots this process has already read and validated: folder → (file state, catalog).
# A second load of an unchanged folder skips re-reading and re-hashing it and returns a copy.
_LOADED: dict[Path, tuple[tuple, Catalog]] = {}


def _folder_state(folder: Path) -> tuple:
    """What a file change would change: each file's name, inode, size and mtime (ns)."""
    stats = ((p.name, p.stat()) for p in folder.iterdir() if p.is_file())
    return tuple(sorted((name, st.st_ino, st.st_size, st.st_mtime_ns) for name, st in stats))


def _copy(cat: Catalog) -> Catalog:
    """A catalog that shares nothing mutable with ``cat`` (a caller may edit its frames)."""
    return Catalog(snapshot_id=cat.snapshot_id, folder=cat.folder, manifest=copy.deepcopy(cat.manifest),
                   inputs=copy.deepcopy(cat.inputs), **{name: getattr(cat, name).copy() for name in snapshots.TABLE_FILES})


def load(snapshot: str = "latest", root: Path | None = None) -> Catalog:
    """Load and validate a snapshot ("latest" or a date); raises ``ValidationError`` or ``SnapshotError``.

    An unchanged snapshot already validated in this process is not read again: the caller gets a copy.
    """
    folder = snapshots.resolve(snapshot, root)
    key, state = folder.resolve(), _folder_state(folder)
    if key in _LOADED and _LOADED[key][0] == state and _LOADED[key][1].folder == folder:
        return _copy(_LOADED[key][1])
    cat = _load_checked(folder)
    _LOADED[key] = (state, _copy(cat))
    return cat


def _load_checked(folder: Path) -> Catalog:
    """Read, hash and validate every file of a snapshot folder into a Catalog."""
    frames, problems = check_snapshot(folder)
    if problems:
        raise ValidationError(problems)
    tables = {name: schema.typed(frames[name], name) for name in snapshots.TABLE_FILES}
    inputs = {name: frames[name] for name in snapshots.INPUT_FILES if name in frames}
    if "anchors" in inputs:
        inputs["anchors"] = pd.DataFrame(inputs["anchors"])
    if "self_hosting" in inputs:
        inputs["self_hosting"] = schema.typed(inputs["self_hosting"], "self_hosting")
    return Catalog(snapshot_id=folder.name, folder=folder, manifest=snapshots.read_manifest(folder),
                   inputs=inputs, **tables)
