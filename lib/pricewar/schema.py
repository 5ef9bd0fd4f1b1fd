"""Table schemas and validation at the boundary.

Every problem is reported as ``file:row: column: value — reason`` (row = line
number in the CSV, header = line 1), all problems at once. Tables are read as
text, checked, then typed: dates become ``datetime64``, prices ``float`` (USD
per 1M tokens), flags nullable booleans.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pricewar.paths import relative

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
        "note": ("str", False),
    },
    "scores": {
        "model_id": ("id", True), "metric": ("id", True), "score": ("score", True),
        "as_of": ("date", True), "applies_from": ("date", False), "source_url": ("url", True),
        "source": ("str", False), "note": ("str", False),
    },
    "aliases": {"alias": ("str", True), "model_id": ("id", True), "source": ("str", True)},
    "unscored": {"model_id": ("id", True), "reason": ("str", True), "checked_on": ("date", True)},
    # host "all": the creator shut the model down, and every host's price ends with it
    "retirements": {"model_id": ("id", True), "host": ("id", True), "retired_date": ("date", True),
                    "source_url": ("url", True), "note": ("str", False)},
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
               "cached_input_usd_per_mtok", "source", "source_url", "note"],
    "scores": ["model_id", "metric", "score", "as_of", "applies_from", "source_url", "note"],
    "aliases": ["alias", "model_id", "source_url", "note"],
    "unscored": ["model_id", "reason", "checked_on"],
    "retirements": ["model_id", "host", "retired_date", "source_url", "note"],
}

# Natural keys: two rows with the same key are duplicates.
KEYS = {
    "models": ["model_id"],
    "prices": ["model_id", "host", "start_date"],
    "scores": ["model_id", "metric", "as_of", "applies_from", "source_url"],
    "aliases": ["alias"],
    "conflicts": ["model_id", "host", "start_date", "other_source"],
    "unscored": ["model_id"],
    "retirements": ["model_id", "host"],
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._:+-]*$")
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


class ValidationError(Exception):
    """Raised with every problem found; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def read_text_table(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV as text (no type guessing). An empty file is a problem."""
    name = relative(path)
    try:
        if path.stat().st_size == 0 or not path.read_text(encoding="utf-8").strip():
            return None, [Problem(name, 1, "", "", "empty file: expected a header row")]
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        return None, [Problem(name, 1, "", "", f"not a readable UTF-8 CSV: {exc}")]
    # stripped once here, so every check and the typed table see the same value
    return frame.apply(lambda column: column.str.strip()), []


def check_table(frame: pd.DataFrame, table: str, file: str, *, snapshot_date: dt.date | None,
                columns: list[str] | None = None, known_models: set[str] | None = None,
                require_rows: bool = False, require_http_source: bool = False) -> list[Problem]:
    """Every problem of one text table: columns, values, dates, duplicates, overlaps, unknown ids."""
    spec = TABLES[table]
    expected = columns if columns is not None else list(spec)
    problems = [Problem(file, 1, col, "", "missing column") for col in expected if col not in frame.columns]
    if problems:
        return problems
    if require_rows and frame.empty:
        return [Problem(file, 2, "", "", "no rows: the table must not be empty")]
    line = frame.index.to_series() + 2

    def add(mask: pd.Series, column: str, reason: str) -> None:
        for idx in frame.index[mask.fillna(False).to_numpy(dtype=bool)]:
            problems.append(Problem(file, int(line[idx]), column, str(frame.at[idx, column]), reason))

    for column in expected:
        kind, required = spec.get(column, ("str", False))
        values = frame[column].astype(str).str.strip()
        blank = values == ""
        if required:
            add(blank, column, "required value is empty")
        present = ~blank
        if kind == "id":
            add(present & ~values.str.match(_ID), column, "not a lower-case id (a-z, 0-9, . _ : + -)")
        elif kind == "date":
            dates = _parse_dates(values)
            add(present & dates.isna(), column, "malformed date: expected YYYY-MM-DD")
            if snapshot_date is not None:
                add(present & (dates > pd.Timestamp(snapshot_date)), column,
                    f"date after the snapshot date {snapshot_date}")
        elif kind in ("price", "number", "score", "int"):
            numbers = pd.to_numeric(values.where(present), errors="coerce")
            add(present & numbers.isna(), column, "not a number")
            if kind in ("price", "number"):
                add(present & (numbers < 0), column, "negative value")
            if kind == "score":
                add(present & ((numbers < 0) | (numbers > 100)), column, "score outside 0–100")
            if kind == "int":
                add(present & numbers.notna() & (numbers != numbers.round()), column, "not a whole number")
        elif kind == "bool":
            add(present & ~values.str.lower().isin(["true", "false"]), column, "not true/false")
        elif kind == "url":
            if require_http_source or (required and table != "conflicts"):
                add(present & ~values.str.match(r"^https?://\S+$"), column, "not an http(s) URL")
            if require_http_source:
                add(blank, column, "every curated row needs a source URL")

    keys = [k for k in KEYS[table] if k in frame.columns]
    dup = frame.duplicated(subset=keys, keep="first")
    for idx in frame.index[dup.to_numpy()]:
        first = frame.index[(frame[keys] == frame.loc[idx, keys]).all(axis=1)][0]
        problems.append(Problem(file, int(line[idx]), ",".join(keys),
                                "|".join(frame.loc[idx, keys]), f"duplicate of row {int(line[first])}"))

    if known_models is not None and "model_id" in frame.columns:
        add((frame["model_id"] != "") & ~frame["model_id"].isin(known_models), "model_id",
            "unknown model_id: not in the models table")

    if table in ("prices", "conflicts"):
        problems += _check_intervals(frame, file, line, overlaps=table == "prices")
    if table == "prices":
        problems += _check_per_1k(frame, file, line)
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
                         "end": end.fillna(pd.Timestamp("2200-01-01")), "line": line})
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
        valid = numbers.where(numbers > 0)
        group = valid.groupby(frame["model_id"])
        median = group.transform("median")
        suspect = (group.transform("count") >= 2) & (valid * PER_1K_FACTOR <= median)
        for idx in frame.index[suspect.fillna(False).to_numpy()]:
            problems.append(Problem(
                file, int(line[idx]), column, frame.at[idx, column],
                f"looks like a per-1K-token price: this model's prices have a median of "
                f"{median[idx]:.4g} USD per 1M tokens"))
    return problems


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Convert a validated text table to typed columns (dates, floats, nullable booleans)."""
    out = frame.copy()
    for column in out.columns:
        kind = TABLES[table].get(column, ("str", False))[0]
        values = out[column].astype(str).str.strip()
        if kind == "date":
            out[column] = _parse_dates(values)
        elif kind in ("price", "number", "score"):
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
      or explained: its note says ``disagrees: <why>``.
    - Every model with a curated price has at least one capability score, or is
      listed in ``data/curated/unscored.csv`` with the reason none was found
      (``unscored``: model_id → reason, carried in the snapshot's manifest).
    """
    prices, conflicts, scores = frames["prices"], frames["conflicts"], frames["scores"]
    line = prices.index.to_series() + 2
    curated = prices[prices["source"] == "curated"]
    problems = []
    for conflict in conflicts[conflicts["kept_source"] == "curated"].itertuples():
        rows = curated[(curated["model_id"] == conflict.model_id) & (curated["host"] == conflict.host)
                       & (curated["start_date"] <= conflict.start_date)
                       & ((curated["end_date"] == "") | (curated["end_date"] > conflict.start_date))]
        for idx in rows.index:
            if EXPLAINED not in prices.at[idx, "note"]:
                problems.append(Problem(
                    prices_file, int(line[idx]), "note", prices.at[idx, "note"],
                    f"curated {conflict.model_id} at {conflict.host} from {prices.at[idx, 'start_date']} disagrees with "
                    f"{conflict.other_source} ({conflict.other_input_usd_per_mtok}/{conflict.other_output_usd_per_mtok} "
                    f"on {conflict.start_date}): fix data/curated/prices.csv or explain with '{EXPLAINED} …' in its note"))
    scored = set(scores["model_id"]) | set(unscored)
    for model_id, rows in curated.groupby("model_id", sort=True):
        if model_id not in scored:
            idx = rows.index[0]
            problems.append(Problem(prices_file, int(line[idx]), "model_id", model_id,
                                    "has a curated price but no capability score in data/curated/scores.csv "
                                    "(or a reason in data/curated/unscored.csv)"))
    return problems
