"""Your API usage log, priced at the list price in force on each request's day, and repriced.

A log has ``timestamp``, ``model``, ``input_tokens``, ``output_tokens`` and optionally
``cached_input_tokens`` and ``project`` (CSV or Parquet). DuckDB reads it; the log is
first summed per day, model and project — prices change only at day boundaries, so
this is exact — and each day is priced by an as-of join on the catalog's price
intervals. Costs are USD; cached input tokens are billed at the cached price where
the catalog lists one, else at the input price.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pricewar.data import pricing
from pricewar.data.paths import relative
from pricewar.errors import RequestError, UnknownModelError, UsageError

__all__ = ["PricedUsage", "load_daily", "price_usage", "synth_log", "write_log", "REQUIRED", "SYNTH_PERIODS"]

REQUIRED = ["timestamp", "model", "input_tokens", "output_tokens"]
TOKENS = ["input_tokens", "output_tokens", "cached_input_tokens"]


@dataclass
class PricedUsage:
    """A priced log: daily rows (USD per row), what could not be priced, and the repricings."""

    daily: pd.DataFrame
    unknown_models: pd.DataFrame
    unpriced: pd.DataFrame
    alternatives: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows: int = 0

    @property
    def total_usd(self) -> float:
        return float(self.daily["cost_usd"].sum())

    def by(self, *keys: str) -> pd.DataFrame:
        """Spend (USD) and tokens summed by ``month``, ``model_id`` and/or ``project``."""
        frame = self.daily.assign(month=self.daily["day"].dt.to_period("M").dt.to_timestamp())
        return (frame.groupby(list(keys))[["requests", "input_tokens", "output_tokens", "cost_usd"]].sum()
                .reset_index().sort_values(list(keys), ignore_index=True))


def _connect():
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # a timestamp without an offset is UTC, whatever the machine's TZ
    # DuckDB draws a progress bar on stdout for a query over 2 s: it would corrupt `pricewar cost --json`.
    # In a Jupyter kernel DuckDB refuses the setting (its bar there needs ipywidgets, which we do not install)
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        pass
    return con


# A request with more tokens than this is a unit or logging error, not a request (tokens per row).
MAX_TOKENS_PER_REQUEST = 100_000_000
_GLOB = set("*?[]{}")


def _whole_number(column: str, sql_type: str) -> str:
    """SQL for a token count as BIGINT, NULL unless the value is a whole number written as one:
    text must be decimal digits ("1.5", "0x10", "true" are not counts), a float must be integral,
    a boolean is never a count."""
    kind = sql_type.upper()
    if kind.startswith(("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT",
                        "UTINYINT", "HUGEINT")):
        return f"TRY_CAST({column} AS BIGINT)"
    if kind.startswith(("DOUBLE", "FLOAT", "REAL", "DECIMAL")):
        return f"CASE WHEN {column} = round({column}) THEN TRY_CAST({column} AS BIGINT) END"
    if kind.startswith("VARCHAR"):
        # fast path: text that is exactly what its BIGINT (cast once, in the raw view: ``_cast_column``)
        # prints back as; only other text goes through the regex (DuckDB's own cast reads "1.5" as 2 and
        # "0x10" as 16, so a cast alone is no check)
        cast = _cast_column(column)
        return (f"CASE WHEN CAST({cast} AS VARCHAR) = {column} THEN {cast} "
                f"WHEN regexp_full_match(trim({column}), '-?[0-9]+') THEN TRY_CAST(trim({column}) AS BIGINT) END")
    return "CAST(NULL AS BIGINT)"


def _cast_column(column: str) -> str:
    """The raw view's column holding ``TRY_CAST(column AS BIGINT)`` of a text token count."""
    return f"{column}__bigint"


def _utc_timestamp(sql_type: str) -> str:
    """SQL for the ``timestamp`` column as a UTC TIMESTAMP, NULL where it is not one: a typed
    timestamp without a zone is UTC already (no conversion: the cast through TIMESTAMPTZ doubled
    the time of a Parquet log), one with a zone is converted, text is parsed honouring its offset."""
    kind = sql_type.upper()
    if kind.startswith("TIMESTAMP WITH TIME ZONE"):
        return "timezone('UTC', timestamp)"
    if kind.startswith(("TIMESTAMP", "DATE")):
        return "CAST(timestamp AS TIMESTAMP)"
    # fast path: "YYYY-MM-DD HH:MM:SS" (19 characters, seconds last) has no room for an offset, so it is
    # UTC as written; anything else is parsed as TIMESTAMPTZ, which honours an offset (half the speed)
    return ("CASE WHEN length(timestamp) = 19 AND substr(timestamp, 17, 1) = ':' THEN TRY_CAST(timestamp AS TIMESTAMP) "
            "ELSE timezone('UTC', TRY_CAST(timestamp AS TIMESTAMPTZ)) END")


def _sql_string(path: Path) -> str:
    """A file path as an SQL string literal (a quote in the name cannot break the query)."""
    return "'" + str(path).replace("'", "''") + "'"


def _scan(path: Path) -> str:
    """The DuckDB table function that reads ``path`` — and only it: a name with glob characters
    (``log*.csv``) is read through a link with a plain name, so DuckDB cannot expand it."""
    suffix = path.suffix.lower()
    if _GLOB & set(str(path)):
        import atexit
        import shutil
        import tempfile

        folder = tempfile.mkdtemp(prefix="pricewar-usage-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        link = Path(folder) / f"log{suffix}"
        link.symlink_to(path.resolve())
        path = link
    if suffix == ".parquet":
        return f"read_parquet({_sql_string(path)})"
    if suffix in (".csv", ".txt"):
        return f"read_csv({_sql_string(path)}, header=true, all_varchar=true)"
    raise UsageError(f"{relative(path)}: unsupported usage log format {suffix!r} (use .csv or .parquet)")


# (column, value shown, bad-row condition, reason). A good log costs one scan: its GROUP BY carries one
# flag per group, any row bad (one bool_or over all conditions: ~0.01 s at 10M Parquet rows, where
# an aggregate per check cost 0.1 s), and the model's own check on the group key; only a bad log is
# read again, to say which checks fail and name its rows.
_ROW_CHECKS = [
    ("timestamp", "timestamp_text", "ts IS NULL", "not a timestamp (ISO 8601; an offset such as +02:00 is honoured, none means UTC)"),
    ("model", "model", "model IS NULL OR trim(model) = ''", "empty model name"),
    ("input_tokens", "input_text", "input_tokens IS NULL", "not a whole number"),
    ("timestamp", "timestamp_text", "ts > latest", "after the snapshot date: no list price is known for it yet"),
    ("input_tokens", "input_text", "input_tokens < 0", "negative token count"),
    ("input_tokens", "input_text", f"input_tokens > {MAX_TOKENS_PER_REQUEST}",
     f"implausible token count: above {MAX_TOKENS_PER_REQUEST:,} in one request"),
    ("output_tokens", "output_text", "output_tokens IS NULL", "not a whole number"),
    ("output_tokens", "output_text", "output_tokens < 0", "negative token count"),
    ("output_tokens", "output_text", f"output_tokens > {MAX_TOKENS_PER_REQUEST}",
     f"implausible token count: above {MAX_TOKENS_PER_REQUEST:,} in one request"),
    ("cached_input_tokens", "cached_text", "cached_input_tokens IS NULL", "not a whole number"),
    ("cached_input_tokens", "cached_text", "cached_input_tokens < 0 OR cached_input_tokens > input_tokens",
     "negative, or more than the row's input tokens"),
]


def load_daily(con, path: Path, max_problems: int = 20, latest: str | None = None) -> tuple[pd.DataFrame, int]:
    """Validate the log and sum it per UTC day, model and project. Raises UsageError listing bad rows.

    ``latest`` (a date): a request after the end of that day is a bad row (its price is not known yet).
    One streaming scan does both: the GROUP BY flags each group that holds a bad row, so memory
    stays flat whatever the log's length; only a bad log is read again, to name its rows.
    """
    import duckdb

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: usage log not found" + (" (a folder, not a file)" if path.is_dir() else ""))
    name = relative(path)
    try:
        typed_columns, has_cached = _typed_view(con, path, name, latest)
        checks = [c for c in _ROW_CHECKS if has_cached or c[0] != "cached_input_tokens"]
        any_row_bad = " OR ".join(f"({c[2]})" for c in checks if c[0] != "model")
        daily = con.execute(
            "SELECT CAST(ts AS DATE) AS day, model, project, count(*) AS requests, "
            "CAST(sum(input_tokens) AS BIGINT) AS input_tokens, CAST(sum(output_tokens) AS BIGINT) AS output_tokens, "
            "CAST(sum(cached_input_tokens) AS BIGINT) AS cached_input_tokens, "
            f"coalesce(bool_or({any_row_bad}), false) AS bad_row, "
            "coalesce(model IS NULL OR trim(model) = '', false) AS bad_model"  # a group key: once per group
            " FROM typed GROUP BY ALL ORDER BY 1, 2, 3").df()
        if daily["bad_row"].any() or daily["bad_model"].any():  # which checks fail: a second scan, bad logs only
            said = con.execute("SELECT " + ", ".join(f"coalesce(bool_or({c[2]}), false)" for c in checks)
                               + " FROM typed").fetchone()
            header = 1 if path.suffix.lower() != ".parquet" else 0  # CSV rows are file lines; Parquet rows count from 1
            failing = [check for check, bad in zip(checks, said) if bad]
            raise UsageError(_bad_rows(con, name, failing, typed_columns, header, max_problems))
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{name}: not a readable {path.suffix.lower().lstrip('.')} usage log: {first}") from None
    daily = daily.drop(columns=["bad_row", "bad_model"])
    daily["day"] = pd.to_datetime(daily["day"])
    return daily, int(daily["requests"].sum())


def _typed_view(con, path: Path, name: str, latest: str | None = None) -> tuple[str, bool]:
    """Views ``raw`` (the log as read) and ``typed`` (text and typed columns of every check);
    returns the typed columns' SQL and whether the log has cached input tokens."""
    # a view, not a table: the log streams through every query (CSV is read as text, all_varchar)
    scan = _scan(path)
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM {scan}")
    types = {row[0]: row[1] for row in con.execute("DESCRIBE raw").fetchall()}
    missing = [c for c in REQUIRED if c not in types]
    if missing:
        raise UsageError("\n".join(f"{name}:1: {c}: '' — missing column" for c in missing))
    text_counts = [c for c in ("input_tokens", "output_tokens", "cached_input_tokens")
                   if types.get(c, "").upper().startswith("VARCHAR")]
    if text_counts:  # each text count cast once (the checks and the sums read the cast)
        casts = ", ".join(f"TRY_CAST({c} AS BIGINT) AS {_cast_column(c)}" for c in text_counts)
        con.execute(f"CREATE OR REPLACE TEMP VIEW raw AS SELECT *, {casts} FROM {scan}")
    cached = "cached_input_tokens" if "cached_input_tokens" in types else "0"
    project = "CAST(project AS VARCHAR)" if "project" in types else "'(none)'"
    # the end of the last priced day, UTC; far in the future when the caller set no limit
    latest_sql = f"TIMESTAMP '{latest} 23:59:59.999999'" if latest else "TIMESTAMP '9999-12-31'"
    typed_columns = f"""
               CAST(timestamp AS VARCHAR) AS timestamp_text,
               {_utc_timestamp(types['timestamp'])} AS ts, {latest_sql} AS latest,
               CAST(model AS VARCHAR) AS model, {project} AS project,
               CAST(input_tokens AS VARCHAR) AS input_text, {_whole_number('input_tokens', types['input_tokens'])} AS input_tokens,
               CAST(output_tokens AS VARCHAR) AS output_text, {_whole_number('output_tokens', types['output_tokens'])} AS output_tokens,
               CAST({cached} AS VARCHAR) AS cached_text,
               {_whole_number(cached, types.get(cached, 'INTEGER'))} AS cached_input_tokens"""
    con.execute(f"CREATE OR REPLACE TEMP VIEW typed AS SELECT {typed_columns} FROM raw")
    return typed_columns, cached != "0"


def _bad_rows(con, name: str, failing: list, typed_columns: str, header: int, max_problems: int) -> str:
    """The error path: count the bad rows, then locate the first ``max_problems`` of them."""
    any_bad = " OR ".join(f"({check[2]})" for check in failing)
    total = con.execute(f"SELECT count(*) FROM typed WHERE {any_bad}").fetchone()[0]
    problems = []
    for column, shown, condition, reason in failing:
        # row numbers only here: a window over the whole log would slow every good run
        for row_no, value in con.execute(
                f"SELECT row_no, {shown} FROM (SELECT row_number() OVER () + {header} AS row_no, {typed_columns} "
                f"FROM raw) WHERE {condition} ORDER BY row_no LIMIT {max_problems}").fetchall():
            problems.append((row_no, f"{name}:{row_no}: {column}: {value!r} — {reason}"))
    shown = sorted(problems)[:max_problems]
    rest = total - len({row_no for row_no, _ in shown})
    more = f"\n… and {rest} more bad row(s)" if rest > 0 else ""
    return (f"{total} bad row(s) in {name}; nothing was priced:\n"
            + "\n".join(text for _, text in shown) + more)


PRICES = ["input_usd_per_mtok", "output_usd_per_mtok", "cached_input_usd_per_mtok"]


def _in_force(intervals: pd.DataFrame, model_ids: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Position in ``intervals`` (sorted by model and start) of the price in force for each
    (model, day) — the latest start on or before the day, if it has not ended — else -1."""
    found = np.full(len(days), -1)
    starts = intervals["start_date"].to_numpy("datetime64[ns]")
    ends = intervals["end_date"].to_numpy("datetime64[ns]")  # NaT: still in force
    bounds = intervals.groupby("model_id", sort=False).indices
    for model_id, rows in pd.Series(model_ids).groupby(model_ids, sort=False).indices.items():
        own = bounds.get(model_id)
        if own is None:
            continue
        at = own[np.maximum(np.searchsorted(starts[own], days[rows], side="right") - 1, 0)]
        live = (starts[at] <= days[rows]) & ~(ends[at] <= days[rows])
        found[rows] = np.where(live, at, -1)
    return found


def _cost_usd(tokens: pd.DataFrame, prices: pd.DataFrame) -> np.ndarray:
    """USD for daily token sums at prices per 1M tokens (row by row); cached input tokens at the
    cached price where there is one, else the input price. NaN where there is no price."""
    input_price, output_price, cached_price = (prices[c].to_numpy(float) for c in PRICES)
    cached_price = np.where(np.isnan(cached_price), input_price, cached_price)
    cached = tokens["cached_input_tokens"].to_numpy(float)
    return ((tokens["input_tokens"].to_numpy(float) - cached) * input_price + cached * cached_price
            + tokens["output_tokens"].to_numpy(float) * output_price) / 1e6


def _timeline(intervals: pd.DataFrame) -> pd.DataFrame:
    return intervals.sort_values(["model_id", "start_date"], kind="stable", ignore_index=True)


def _price_days(days: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """Each daily row priced as its ``model_id`` on its ``day``: adds the ``host``, ``start_date``
    and ``end_date`` of the price in force, the prices (USD per 1M tokens) and ``cost_usd``."""
    timeline = _timeline(intervals)
    found = _in_force(timeline, days["model_id"].to_numpy(), days["day"].to_numpy("datetime64[ns]"))
    taken = timeline.reindex(found)  # -1 is not a position: no price
    priced = days.reset_index(drop=True)
    for column in ["host", "start_date", "end_date", *PRICES]:
        priced[column] = taken[column].to_numpy()
    priced["cost_usd"] = _cost_usd(priced, priced)
    return priced


def _reprice(actual: pd.DataFrame, model_ids: list[str], intervals: pd.DataFrame) -> dict[str, np.ndarray]:
    """Cost (USD) of each daily row of ``actual`` had it all gone to each of ``model_ids``."""
    timeline = _timeline(intervals)
    days = actual["day"].to_numpy("datetime64[ns]")
    costs = {}
    for model_id in model_ids:
        found = _in_force(timeline, np.full(len(days), model_id, dtype=object), days)
        costs[model_id] = _cost_usd(actual, timeline.reindex(found))
    return costs


def _compare(actual: pd.DataFrame, label: str, parts: list[tuple[float, np.ndarray]]) -> dict:
    """An alternative's cost on the days it could have served, against the actual cost of those days."""
    covered = np.logical_and.reduce([~np.isnan(cost) for _, cost in parts])
    cost = float(sum(share * part[covered].sum() for share, part in parts))
    actual_cost = float(actual["cost_usd"].to_numpy()[covered].sum())
    total = float(actual["cost_usd"].sum())
    return {"alternative": label, "cost_usd": cost, "actual_same_days_usd": actual_cost,
            "savings_usd": actual_cost - cost, "savings_pct": 100 * (1 - cost / actual_cost) if actual_cost else np.nan,
            "share_of_spend_covered_pct": 100 * actual_cost / total if total else np.nan}


def price_usage(cat, path, alternatives: list[str] | None = None, mix: dict[str, float] | None = None) -> PricedUsage:
    """Price every row at its day's list price; reprice the same tokens on each alternative and on a mix.

    Unknown model names and days without a list price are counted in ``unknown_models``
    and ``unpriced`` with their token volume, never dropped silently.
    """
    con = _connect()
    daily, rows = load_daily(con, Path(path), latest=str(cat.snapshot_date))
    names = {}
    for name in daily["model"].unique():
        try:
            names[name] = cat.resolve(name)
        except UnknownModelError:
            names[name] = None
    daily["model_id"] = daily["model"].map(names)
    unknown = daily[daily["model_id"].isna()]
    unknown_models = (unknown.groupby("model")[["requests", "input_tokens", "output_tokens"]].sum()
                      .reset_index().sort_values("requests", ascending=False, ignore_index=True))
    known = daily[daily["model_id"].notna()]
    targets = [cat.resolve(m) for m in alternatives or []]
    mix_ids: dict[str, float] = {}
    for name, share in (mix or {}).items():  # two names of one model add up
        mix_ids[cat.resolve(name)] = mix_ids.get(cat.resolve(name), 0.0) + share
    intervals = pricing.reference_timeline(cat.prices, cat.models, cat.snapshot_date)
    intervals = intervals[intervals["model_id"].isin({*known["model_id"], *targets, *mix_ids})]
    priced = _price_days(known, intervals)
    unpriced = priced[priced["cost_usd"].isna()]
    unpriced_summary = (unpriced.groupby("model_id")[["requests", "input_tokens", "output_tokens"]].sum()
                        .reset_index().sort_values("requests", ascending=False, ignore_index=True))
    actual = priced[priced["cost_usd"].notna()].reset_index(drop=True)
    repriced = _reprice(actual, sorted(set(targets) | set(mix_ids)), intervals) if targets or mix_ids else {}
    rows_alt = [_compare(actual, model_id, [(1.0, repriced[model_id])]) for model_id in targets]
    if mix:
        rows_alt.append(_compare(actual, "mix: " + ", ".join(f"{k} {v:.0%}" for k, v in mix.items()),
                                 [(share, repriced[model_id]) for model_id, share in mix_ids.items()]))
    alt_frame = pd.DataFrame(rows_alt, columns=["alternative", "cost_usd", "actual_same_days_usd", "savings_usd",
                                                "savings_pct", "share_of_spend_covered_pct"])
    return PricedUsage(daily=actual.reset_index(drop=True), unknown_models=unknown_models, unpriced=unpriced_summary,
                       alternatives=alt_frame, rows=rows)


SYNTH_PERIODS = [  # (from, models with weights): the mix a team might have used, each model after its launch
    ("2024-04-15", {"gpt-4-turbo": 0.3, "gpt-3.5-turbo": 0.5, "claude-3-sonnet": 0.2}),
    ("2024-08-01", {"gpt-4o": 0.4, "gpt-4o-2024-08-06": 0.1, "claude-3-5-sonnet-20240620": 0.3, "gpt-4o-mini": 0.2}),
    ("2025-03-01", {"gpt-4o-mini": 0.3, "o3-mini": 0.2, "gemini-2.0-flash": 0.2, "deepseek-chat": 0.2,
                    "claude-3-7-sonnet": 0.1}),
    ("2025-10-01", {"gpt-5-mini": 0.35, "gemini-2.5-flash": 0.25, "claude-sonnet-4-5": 0.2, "deepseek-chat": 0.15,
                    "acme-internal-llm": 0.05}),
]


def synth_log(rows: int, seed: int = 0, end: str = "2026-10-31") -> pd.DataFrame:
    """A synthetic usage log: four projects, models changing over time, heavy-tailed request sizes.

    Deterministic for a seed. One model name (``acme-internal-llm``) is deliberately not in
    the catalog, to show how unknown models are reported.
    """
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(SYNTH_PERIODS[0][0])
    span = (pd.Timestamp(end) - start).total_seconds()
    ts = start + pd.to_timedelta(np.sort(rng.uniform(0, span, rows)), unit="s")
    bounds = [pd.Timestamp(p[0]) for p in SYNTH_PERIODS]
    period = np.searchsorted(np.array(bounds, dtype="datetime64[ns]"), ts.to_numpy(), side="right") - 1
    model = np.empty(rows, dtype=object)
    for i, (_, weights) in enumerate(SYNTH_PERIODS):
        mask = period == i
        names, probs = list(weights), np.array(list(weights.values()))
        model[mask] = rng.choice(names, size=mask.sum(), p=probs / probs.sum())
    input_tokens = np.minimum(rng.lognormal(7.0, 1.0, rows), 200_000).astype(np.int64)
    output_tokens = np.minimum(rng.lognormal(5.5, 0.9, rows), 16_000).astype(np.int64)
    cached = (input_tokens * rng.choice([0.0, 0.5, 0.9], size=rows, p=[0.6, 0.25, 0.15])).astype(np.int64)
    project = rng.choice(["support-bot", "search", "analytics", "internal-tools"], size=rows, p=[0.4, 0.3, 0.2, 0.1])
    return pd.DataFrame({"timestamp": ts, "model": model, "input_tokens": input_tokens, "output_tokens": output_tokens,
                         "cached_input_tokens": cached, "project": project})


def write_log(frame: pd.DataFrame, path: Path) -> Path:
    """Write a log as Parquet or CSV (by extension) through DuckDB, atomically."""
    path = Path(path)
    fmt = {".parquet": "PARQUET", ".csv": "CSV"}.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: write .parquet or .csv")
    if not path.parent.is_dir():
        raise RequestError(f"{path.parent}: no such folder to write the log into")
    tmp = path.with_name(f".{path.name}.tmp")
    con = _connect()
    con.register("log_df", frame)
    con.execute(f"COPY log_df TO {_sql_string(tmp)} (FORMAT {fmt}{', HEADER' if fmt == 'CSV' else ''})")
    tmp.replace(path)
    return path
