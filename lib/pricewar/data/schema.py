"""Table schemas and validation at the boundary.

Every problem is reported as ``file:row: column: value — reason`` (row = line
number in the CSV, header = line 1; in a YAML input, the line of the value), all
problems at once. Tables are read as text, checked, then typed: dates become
``datetime64``, prices ``float`` (USD per 1M tokens), flags nullable booleans.
The YAML inputs (``ENTRIES``) are lists of mappings, checked key by key.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pricewar.data.paths import relative
from pricewar.defaults import END_OF_TIME, METRIC_RANGES, METRICS

__all__ = ["CURATED_COLUMNS", "Problem", "read_text_table", "check_table", "read_entries", "read_input",
           "entry_lines", "typed", "check_curated_rules", "TABLES", "KEYS", "ENTRIES", "EXPLAINED",
           "PER_1K_FACTOR", "MAX_USD_PER_MTOK"]

# column -> (kind, required value)
TABLES: dict[str, dict[str, tuple[str, bool]]] = {
    "models": {
        "model_id": ("id", True), "name": ("str", True), "creator": ("id", True),
        "release_date": ("date", False), "release_date_precision": ("str", False),
        "open_weights": ("bool", False), "reasoning": ("bool", False),
        "context_window": ("int", False), "params_total_b": ("number", False),
        "params_active_b": ("number", False), "license": ("str", False),
        "output_modalities": ("str", False), "source": ("str", True),
        "source_version": ("str", False), "source_url": ("url", False),
    },
    "prices": {
        "model_id": ("id", True), "host": ("id", True), "start_date": ("date", True),
        "end_date": ("date", False), "input_usd_per_mtok": ("price", True),
        "output_usd_per_mtok": ("price", True), "cached_input_usd_per_mtok": ("price", False),
        "source": ("str", True), "source_version": ("str", False), "source_url": ("url", False),
        "note": ("str", False), "version_id": ("id", True), "status": ("status", False),
        # true: start_date is when a source first saw the price (a crawl, a package's data date), not
        # when it began; an analysis that dates events must not read it as a launch or a change
        "observed_from": ("bool", False),
    },
    # prices a provider has announced for after the snapshot date (curated, status "announced")
    "announced": {
        "model_id": ("id", True), "host": ("id", True), "start_date": ("date", True), "end_date": ("date", False),
        "input_usd_per_mtok": ("price", True), "output_usd_per_mtok": ("price", True),
        "cached_input_usd_per_mtok": ("price", False), "source_url": ("url", True), "note": ("str", False),
    },
    "scores": {
        "model_id": ("id", True), "metric": ("id", True), "score": ("score", True),
        "as_of": ("date", True), "applies_from": ("date", False), "source_url": ("url", True),
        "source": ("str", False), "note": ("str", False),
    },
    "aliases": {"alias": ("str", True), "model_id": ("id", True), "source": ("str", True)},
    "unscored": {"model_id": ("id", True), "reason": ("str", True), "checked_on": ("date", True)},
    # the tokens one run of a benchmark used (Epoch AI's hub, data/vendor/epoch-hub), billed as the
    # provider bills them: input (uncached), cached input, output (reasoning included)
    "task_runs": {
        "model_id": ("id", True), "benchmark": ("id", True), "setting": ("str", False), "epoch_model": ("str", True),
        "run_id": ("str", True), "started": ("date", True), "applies_from": ("date", False),
        "epochs": ("int", True), "samples": ("int", True), "score": ("score", False),
        "input_tokens": ("int", True), "cached_input_tokens": ("int", True), "output_tokens": ("int", True),
        "reasoning_tokens": ("int", True), "source_url": ("url", True),
    },
    # Epoch model versions the build cannot map by name: epoch_model -> model_id (empty: not in the catalog)
    "epoch_models": {"epoch_model": ("str", True), "model_id": ("id", False), "source_url": ("url", True),
                     "note": ("str", False)},
    # host "all": the creator shut the model down, and every host's price ends with it
    "retirements": {"model_id": ("id", True), "host": ("id", True), "retired_date": ("date", True),
                    "source_url": ("url", True), "note": ("str", False), "replacement": ("id", False)},
    # what a price change was, where the rules of pricing.price_changes cannot tell (a curated judgement)
    "classified_changes": {"model_id": ("id", True), "host": ("id", True), "date": ("date", True),
                           "change_class": ("id", True), "source_url": ("url", True), "note": ("str", False)},
    # which model version an API name served at a host ("all": every host) from start_date to end_date
    "versions": {"api_name": ("id", True), "host": ("id", True), "serves": ("id", True),
                 "start_date": ("date", True), "end_date": ("date", False), "source_url": ("url", True),
                 "note": ("str", False)},
    # sourced defaults for self-hosting: a GPU's hourly price, a model's serving throughput
    "self_hosting": {
        "id": ("id", True), "kind": ("id", True), "value": ("positive", True), "unit": ("str", True),
        "gpu": ("str", True), "gpus": ("int", False), "model": ("str", False), "setting": ("str", False),
        "input_tokens": ("int", False), "output_tokens": ("int", False), "as_of": ("date", True),
        "source_url": ("url", True), "note": ("str", False),
    },
    "conflicts": {
        "model_id": ("id", True), "host": ("id", True), "start_date": ("date", True),
        "end_date": ("date", False), "kept_source": ("str", True),
        "kept_input_usd_per_mtok": ("price", True), "kept_output_usd_per_mtok": ("price", True),
        "other_source": ("str", True), "other_input_usd_per_mtok": ("price", True),
        "other_output_usd_per_mtok": ("price", True), "other_source_url": ("str", False),
    },
}

# The curated files under data/curated/ hold a subset of each table's columns.
CURATED_COLUMNS = {
    "models": ["model_id", "name", "creator", "release_date", "open_weights", "reasoning",
               "context_window", "params_total_b", "params_active_b", "license", "source_url", "note"],
    "prices": ["model_id", "host", "start_date", "end_date", "input_usd_per_mtok", "output_usd_per_mtok",
               "cached_input_usd_per_mtok", "source", "source_url", "note", "status", "observed_from"],
    "scores": ["model_id", "metric", "score", "as_of", "applies_from", "source_url", "note"],
    "aliases": ["alias", "model_id", "source_url", "note"],
    "unscored": ["model_id", "reason", "checked_on"],
    "epoch_models": ["epoch_model", "model_id", "source_url", "note"],
    "retirements": ["model_id", "host", "retired_date", "source_url", "note", "replacement"],
    "versions": ["api_name", "host", "serves", "start_date", "end_date", "source_url", "note"],
    "classified_changes": ["model_id", "host", "date", "change_class", "source_url", "note"],
}

# Columns that name a model, checked against the models table (default: model_id).
MODEL_COLUMNS = {"versions": ["api_name", "serves"], "retirements": ["model_id", "replacement"]}

# Columns added to a snapshot table after snapshots were first written: an older snapshot may lack
# them, and the typed table then fills them in (``typed``).
LATER_COLUMNS = {"prices": {"version_id": "model_id", "status": None, "observed_from": None}, "retirements": {"replacement": None}}
# A curated price a provider has announced may start after the snapshot date (status "announced");
# any price may end after it (an announced end, e.g. of an introductory price).
ANNOUNCED = "announced"
FUTURE_DATES = {("prices", "end_date"), ("announced", "start_date"), ("announced", "end_date")}

# Natural keys: two rows with the same key are duplicates.
KEYS = {
    "models": ["model_id"],
    "prices": ["model_id", "host", "start_date"],
    "scores": ["model_id", "metric", "as_of", "applies_from", "source_url"],
    "aliases": ["alias"],
    "conflicts": ["model_id", "host", "start_date", "other_source"],
    "unscored": ["model_id"],
    "task_runs": ["run_id"],
    "epoch_models": ["epoch_model"],
    "retirements": ["model_id", "host"],
    "versions": ["api_name", "host", "start_date"],
    "classified_changes": ["model_id", "host", "date"],
    "announced": ["model_id", "host", "start_date"],
    "self_hosting": ["id"],
}

NUMERIC_KINDS = ("price", "number", "positive", "score", "int")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._:+-]*$")
# No list price has come near this (USD per 1M tokens); a larger one is a unit or typing error.
MAX_USD_PER_MTOK = 1000.0
# A price this many times smaller than its model's other prices looks like per-1K units.
PER_1K_FACTOR = 300.0


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.column}: {self.value!r} — {self.reason}"


def _unparsable_line(name: str, path: Path, exc: Exception) -> Problem:
    """The line a CSV parser stopped at, with its text, as a problem (line 1 when it does not say)."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if not found:
        return Problem(name, 1, "", "", f"not a readable CSV: {exc}")
    expected, line, seen = (int(n) for n in found.groups())
    lines = path.read_text(encoding="utf-8").splitlines()
    text = lines[line - 1] if line <= len(lines) else ""
    return Problem(name, line, "", text[:120], f"{seen} fields where the header has {expected}: "
                   "quote a value that holds a comma")


def _short_rows(name: str, path: Path) -> list[Problem]:
    """Rows with fewer fields than the header (a save cut short, a lost comma): pandas would fill
    them with blanks, so a truncated row would pass as a row with empty values."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        problems, start = [], reader.line_num + 1
        for record in reader:
            if record and len(record) < len(header):
                text = ",".join(record)
                problems.append(Problem(name, start, header[len(record)], text[:120],
                                        f"{len(record)} fields where the header has {len(header)}: "
                                        f"the row ends before {header[len(record)]!r} (a truncated save?)"))
            start = reader.line_num + 1
    return problems


def read_text_table(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV as text (no type guessing). An empty file is a problem."""
    name = relative(path)
    try:
        if path.stat().st_size == 0 or not path.read_text(encoding="utf-8").strip():
            return None, [Problem(name, 1, "", "", "empty file: expected a header row")]
        short = _short_rows(name, path)
        if short:
            return None, short
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, "", "", f"not a readable UTF-8 CSV: {exc}")]
    except pd.errors.ParserError as exc:
        return None, [_unparsable_line(name, path, exc)]
    # stripped once here, so every check and the typed table see the same value
    return frame.apply(lambda column: column.str.strip()), []


def check_table(frame: pd.DataFrame, table: str, file: str, *, snapshot_date: dt.date | None,
                columns: list[str] | None = None, known_models: set[str] | None = None,
                require_rows: bool = False, require_http_source: bool = False) -> list[Problem]:
    """Every problem of one text table: columns, values, dates, duplicates, overlaps, unknown ids."""
    expected = columns if columns is not None else list(TABLES[table])
    later = LATER_COLUMNS.get(table, {})
    expected = [col for col in expected if col in frame.columns or col not in later]
    problems = [Problem(file, 1, col, "", "missing column") for col in expected if col not in frame.columns]
    if problems:
        return problems
    if require_rows and frame.empty:
        return [Problem(file, 2, "", "", "no rows: the table must not be empty")]
    line = frame.index.to_series() + 2
    problems += _check_values(frame, table, file, line, expected, snapshot_date, require_http_source,
                              curated=columns is not None)
    problems += _check_duplicates(frame, table, file, line)
    for column in MODEL_COLUMNS.get(table, ["model_id"]) if known_models is not None else []:
        if column in frame.columns:
            unknown = (frame[column] != "") & ~frame[column].isin(known_models)
            problems += _flag(frame, file, line, unknown, column, f"unknown {column}: not in the models table")
    if table in ("prices", "conflicts"):
        problems += _check_intervals(frame, file, line, overlaps=table == "prices")
    if table == "versions":
        problems += _check_intervals(frame.rename(columns={"api_name": "model_id"}), file, line, overlaps=True)
    if table == "classified_changes":
        from pricewar.data.pricing import CHANGE_CLASSES

        unknown = (frame["change_class"] != "") & ~frame["change_class"].isin(list(CHANGE_CLASSES))
        problems += _flag(frame, file, line, unknown, "change_class",
                          f"not a change class ({', '.join(CHANGE_CLASSES)})")
    if table == "scores":
        unknown = (frame["metric"] != "") & ~frame["metric"].isin(list(METRICS))
        problems += _flag(frame, file, line, unknown, "metric",
                          f"not a declared metric ({', '.join(METRICS)}; a new one goes in pricewar.defaults.METRICS "
                          "and data/sources.yaml)")
    if table == "prices":
        problems += _check_per_1k(frame, file, line)
    return problems


def check_secondary_notes(frame: pd.DataFrame, file: str) -> list[Problem]:
    """A curated row whose source is secondary (``provenance.source_kind``) says why in its note:
    ``secondary: <why no first-party or archived copy>``."""
    from pricewar.data.provenance import source_kind

    if not {"source_url", "note"} <= set(frame.columns):
        return []
    line = frame.index.to_series() + 2
    secondary = (frame["source_url"] != "") & (frame["source_url"].map(source_kind) == "secondary")
    unsaid = secondary & ~frame["note"].str.contains("secondary", case=False)
    return _flag(frame, file, line, unsaid, "source_url",
                 "a secondary source: say in the note 'secondary: <why no first-party or archived copy>'")


def _flag(frame: pd.DataFrame, file: str, line: pd.Series, mask: pd.Series, column: str, reason: str) -> list[Problem]:
    """A problem for every row where ``mask`` is true, showing that row's ``column``."""
    return [Problem(file, int(line[idx]), column, str(frame.at[idx, column]), reason)
            for idx in frame.index[mask.fillna(False).to_numpy(dtype=bool)]]


def _check_values(frame, table, file, line, expected, snapshot_date, require_http_source, curated=False) -> list[Problem]:
    """Each column's values against its kind (``TABLES``): required, ids, dates, numbers, flags, URLs."""
    problems = []
    for column in expected:
        kind, required = TABLES[table].get(column, ("str", False))
        values = frame[column].astype(str).str.strip()
        blank, present = values == "", values != ""

        def add(mask, reason, column=column):
            problems.extend(_flag(frame, file, line, mask, column, reason))

        if required:
            add(blank, "required value is empty")
        if kind == "id":
            add(present & ~values.str.match(_ID), "not a lower-case id (a-z, 0-9, . _ : + -)")
        elif kind == "date":
            dates = _parse_dates(values)
            add(present & dates.isna(), "malformed date: expected YYYY-MM-DD")
            if snapshot_date is not None and (table, column) not in FUTURE_DATES:
                announced = (frame["status"] == ANNOUNCED) if "status" in frame.columns else False
                later = present & (dates > pd.Timestamp(snapshot_date))
                add(later & ~announced, f"date after the snapshot date {snapshot_date}"
                    + (" (a price a provider has announced needs status 'announced')" if curated and table == "prices" else ""))
        elif kind in NUMERIC_KINDS:
            numbers = pd.to_numeric(values.where(present), errors="coerce")
            add(present & numbers.isna(), "not a number")
            add(present & numbers.notna() & ~numbers.map(math.isfinite, na_action="ignore").astype(bool),
                "not a finite number")
            if kind in ("price", "number"):
                add(present & (numbers < 0), "negative value")
            if kind == "price":
                add(present & (numbers > MAX_USD_PER_MTOK) & numbers.map(math.isfinite, na_action="ignore").astype(bool),
                    f"implausible price: above {MAX_USD_PER_MTOK:,.0f} USD per 1M tokens (the highest list prices "
                    "are a few hundred); is it per 1B tokens, or a typo?")
            if kind == "score":
                percent = (frame["metric"].map(lambda m: m not in METRIC_RANGES).astype(bool)
                           if "metric" in frame.columns else True)
                add(present & percent & (numbers > 0) & (numbers < 1), "looks like a fraction: scores are percentages (0–100)")
            if kind == "positive":
                add(present & (numbers <= 0), "not a positive number")
            if kind == "score":
                low, high = 0, 100
                if "metric" in frame.columns:  # a metric on another scale (ECI) has its own range
                    low = frame["metric"].map(lambda m: METRIC_RANGES.get(m, (0, 100))[0])
                    high = frame["metric"].map(lambda m: METRIC_RANGES.get(m, (0, 100))[1])
                add(present & ((numbers < low) | (numbers > high)), "score outside its metric's range (0–100 for a percentage)")
            if kind == "int":
                add(present & numbers.notna() & (numbers != numbers.round()), "not a whole number")
        elif kind == "status":
            add(present & (values != ANNOUNCED), f"not a status: leave empty, or '{ANNOUNCED}' for a price a provider has announced")
        elif kind == "bool":
            add(present & ~values.str.lower().isin(["true", "false"]), "not true/false")
        elif kind == "url":
            if require_http_source or (required and table != "conflicts"):
                add(present & ~values.str.match(r"^https?://\S+$"), "not an http(s) URL")
            if require_http_source:
                add(blank, "every curated row needs a source URL")
    return problems


def _check_duplicates(frame: pd.DataFrame, table: str, file: str, line: pd.Series) -> list[Problem]:
    """Rows whose natural key (``KEYS``) repeats an earlier row's."""
    keys = [k for k in KEYS[table] if k in frame.columns]
    problems = []
    for idx in frame.index[frame.duplicated(subset=keys, keep="first").to_numpy()]:
        first = frame.index[(frame[keys] == frame.loc[idx, keys]).all(axis=1)][0]
        problems.append(Problem(file, int(line[idx]), ",".join(keys),
                                "|".join(frame.loc[idx, keys]), f"duplicate of row {int(line[first])}"))
    return problems


def _parse_dates(values: pd.Series) -> pd.Series:
    ok = values.str.match(_DATE)
    return pd.to_datetime(values.where(ok), format="%Y-%m-%d", errors="coerce")


def _check_intervals(frame: pd.DataFrame, file: str, line: pd.Series, overlaps: bool) -> list[Problem]:
    """end_date after start_date; intervals of one (model_id, host) never overlap."""
    problems = []
    start = _parse_dates(frame["start_date"].astype(str))
    end = _parse_dates(frame["end_date"].astype(str))
    bad = start.notna() & end.notna() & (end <= start)
    for idx in frame.index[bad.to_numpy()]:
        problems.append(Problem(file, int(line[idx]), "end_date", frame.at[idx, "end_date"],
                                f"end_date not after start_date {frame.at[idx, 'start_date']}"))
    if not overlaps:
        return problems
    work = pd.DataFrame({"model_id": frame["model_id"], "host": frame["host"], "start": start,
                         "end": end.fillna(pd.Timestamp(END_OF_TIME)), "line": line})
    work = work[work["start"].notna() & ~bad].sort_values(["model_id", "host", "start"])
    previous_end = work.groupby(["model_id", "host"])["end"].shift()
    previous_line = work.groupby(["model_id", "host"])["line"].shift()
    overlap = previous_end.notna() & (work["start"] < previous_end)
    for idx in work.index[overlap.to_numpy()]:
        problems.append(Problem(file, int(work.at[idx, "line"]), "start_date", frame.at[idx, "start_date"],
                                f"overlaps the interval on row {int(previous_line[idx])} of "
                                f"{frame.at[idx, 'model_id']} at {frame.at[idx, 'host']}"))
    return problems


def _check_per_1k(frame: pd.DataFrame, file: str, line: pd.Series) -> list[Problem]:
    """A price ~1000× below the same model's other prices was probably typed per 1K tokens."""
    problems = []
    for column in ("input_usd_per_mtok", "output_usd_per_mtok"):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        # an implausible or infinite price has its own problem; it must not make the others look per-1K
        valid = numbers.where((numbers > 0) & (numbers <= MAX_USD_PER_MTOK))
        group = valid.groupby(frame["model_id"])
        median = group.transform("median")
        suspect = (group.transform("count") >= 2) & (valid * PER_1K_FACTOR <= median)
        for idx in frame.index[suspect.fillna(False).to_numpy()]:
            problems.append(Problem(
                file, int(line[idx]), column, frame.at[idx, column],
                f"looks like a per-1K-token price: this model's prices have a median of "
                f"{median[idx]:.4g} USD per 1M tokens"))
    return problems


# The report inputs written as YAML lists of mappings (data/*.yaml): key -> (kind, required).
ENTRIES: dict[str, dict[str, tuple[str, bool]]] = {
    # published estimates the reports compare their own numbers with
    "anchors": {"id": ("id", True), "who": ("str", True), "finding": ("str", True), "value_low": ("number", True),
                "value_high": ("number", True), "unit": ("str", True), "metric": ("str", False),
                "published": ("date", False), "url": ("https", True), "differs_because": ("str", False)},
    # the article's checkable statements, each naming a check of pricewar.analysis.claims
    "claims": {"id": ("id", True), "quote": ("str", True), "section": ("str", True), "topic": ("str", True),
               "check": ("id", True), "args": ("mapping", False)},
    # every source of data/: what it gives, its licence, its version or access date
    "sources": {"id": ("id", True), "gives": ("str", True), "licence": ("str", True), "version": ("str", False),
                "url": ("https", True), "notes": ("str", False)},
}


def read_entries(path: Path, kind: str, snapshot_date: dt.date | None = None) -> tuple[list[dict] | None, list[Problem]]:
    """A YAML list of mappings checked against ``ENTRIES[kind]``, and its problems.

    Problems name the line of the bad value (or of its entry) as ``file:line: key: value — reason``.
    """
    name = relative(path)
    try:
        text = path.read_text(encoding="utf-8")
        node, entries = yaml.compose(text), yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, "", "", f"not readable UTF-8: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(name, mark.line + 1 if mark else 1, "", "", f"not valid YAML: {exc}")]
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        return None, [Problem(name, 1, "", "", "expected a non-empty list of mappings (one per entry)")]
    problems, seen = [], {}
    for entry, start, lines in zip(entries, *_lines(node)):
        for key, (key_kind, required) in ENTRIES[kind].items():
            reason = _entry_problem(entry.get(key), key_kind, required, snapshot_date)
            if reason:
                problems.append(Problem(name, lines.get(key, start), key, _shown(entry.get(key)), reason))
        if entry.get("id") in seen:
            problems.append(Problem(name, start, "id", _shown(entry["id"]), f"duplicate of the entry on line {seen[entry['id']]}"))
        seen.setdefault(entry.get("id"), start)
    return entries, problems


def read_input(path: Path, name: str, snapshot_date: dt.date | None = None) -> tuple[object | None, list[Problem]]:
    """A report input read and checked: a YAML list of ``ENTRIES[name]`` (entries) or the
    curated table ``TABLES[name]`` (a text DataFrame); (content or None, problems)."""
    if name in ENTRIES:
        return read_entries(path, name, snapshot_date)
    frame, problems = read_text_table(path)
    if frame is not None:
        problems += check_table(frame, name, relative(path), snapshot_date=snapshot_date,
                                require_rows=True, require_http_source=True)
    return frame, problems


def entry_lines(path: Path) -> tuple[list[int], list[dict[str, int]]]:
    """Where each entry of a YAML list starts, and the line of each of its values (1-based)."""
    return _lines(yaml.compose(path.read_text(encoding="utf-8")))


def _lines(node) -> tuple[list[int], list[dict[str, int]]]:
    starts = [item.start_mark.line + 1 for item in node.value]
    values = [{key.value: value.start_mark.line + 1 for key, value in item.value} for item in node.value]
    return starts, values


def _as_date(value) -> dt.date | None:
    """A YAML date (or an ISO date string) as a date; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if _DATE.match(str(value)) else None
    except ValueError:
        return None


def _shown(value) -> str:
    return "" if value is None else str(value)


def _entry_problem(value, kind: str, required: bool, snapshot_date: dt.date | None) -> str | None:
    """Why one YAML value does not fit its kind, or None."""
    if value is None or value == "":
        return "required value is empty" if required else None
    if kind == "mapping":
        return None if isinstance(value, dict) else "not a mapping (key: value)"
    if isinstance(value, (dict, list)):
        return "not a single value"
    if kind == "id" and not (isinstance(value, str) and _ID.match(value)):
        return "not a lower-case id (a-z, 0-9, . _ : + -)"
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)):
        return "not a number"
    if kind == "https" and not (isinstance(value, str) and re.match(r"^https://\S", value)):
        return "not an https URL"
    if kind == "date":
        day = _as_date(value)
        if day is None:
            return "malformed date: expected YYYY-MM-DD"
        if snapshot_date is not None and day > snapshot_date:
            return f"date after the snapshot date {snapshot_date}"
    return None


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Convert a validated text table to typed columns (dates, floats, nullable booleans).

    A column added later (``LATER_COLUMNS``) that an older snapshot lacks is filled in: from the
    column it names, else empty.
    """
    out = frame.copy()
    for column, fill in LATER_COLUMNS.get(table, {}).items():
        if column not in out.columns:
            out[column] = out[fill] if fill else ""
    for column in out.columns:
        kind = TABLES[table].get(column, ("str", False))[0]
        values = out[column].astype(str).str.strip()
        if kind == "date":
            out[column] = _parse_dates(values)
        elif kind in ("price", "number", "positive", "score"):
            out[column] = pd.to_numeric(values.replace("", None), errors="coerce").astype(float)
        elif kind == "int":
            out[column] = pd.to_numeric(values.replace("", None), errors="coerce").astype("Int64")
        elif kind == "bool":
            out[column] = values.str.lower().map({"true": True, "false": False}).astype("boolean")
    return out


EXPLAINED = "disagrees:"


def check_curated_rules(frames: dict[str, pd.DataFrame], prices_file: str,
                        unscored: dict[str, str]) -> list[Problem]:
    """Rules on curated facts, checked on a whole snapshot (text tables).

    - A curated price that a package prices differently on the same day is fixed
      or explained: its note says ``disagrees: <why>`` (an announced price needs no explanation:
      packages observed before the announced day still show the old price).
    - Every model with a curated price has at least one capability score (its own, or one
      of a version it served, ``versions``), or is listed in ``data/curated/unscored.csv``
      with the reason none was found (``unscored``: model_id → reason, in the manifest).
    """
    prices, conflicts, scores = frames["prices"], frames["conflicts"], frames["scores"]  # scores: any source
    line = prices.index.to_series() + 2
    curated = prices[prices["source"] == "curated"]
    problems = []
    for conflict in conflicts[conflicts["kept_source"] == "curated"].itertuples():
        rows = curated[(curated["model_id"] == conflict.model_id) & (curated["host"] == conflict.host)
                       & (curated["start_date"] <= conflict.start_date)
                       & ((curated["end_date"] == "") | (curated["end_date"] > conflict.start_date))]
        for idx in rows.index:
            announced = "status" in prices.columns and prices.at[idx, "status"] == ANNOUNCED
            if EXPLAINED not in prices.at[idx, "note"] and not announced:  # an announcement outdates the packages
                problems.append(Problem(
                    prices_file, int(line[idx]), "note", prices.at[idx, "note"],
                    f"curated {conflict.model_id} at {conflict.host} from {prices.at[idx, 'start_date']} disagrees with "
                    f"{conflict.other_source} ({conflict.other_input_usd_per_mtok}/{conflict.other_output_usd_per_mtok} "
                    f"on {conflict.start_date}): fix data/curated/prices.csv or explain with '{EXPLAINED} …' in its note"))
    scored = set(scores["model_id"]) | set(unscored)
    versions = frames.get("versions")
    if versions is not None and len(versions):  # a moving name is scored through the versions it served
        scored |= set(versions.loc[versions["serves"].isin(scored), "api_name"])
    for model_id, rows in curated.groupby("model_id", sort=True):
        if model_id not in scored:
            idx = rows.index[0]
            problems.append(Problem(prices_file, int(line[idx]), "model_id", model_id,
                                    "has a curated price but no capability score (data/curated/scores.csv or "
                                    "Epoch AI's hub in data/vendor/epoch-hub) nor a reason in data/curated/unscored.csv"))
    return problems
