"""Pricing a usage log (CSV and Parquet, 10 million rows by default) at its own dates and under 10 alternatives.

Headline, per format: the pricing's time over DuckDB's own GROUP BY of the same file by day, model
and project (what the pricing itself must at least do: prices change by day and model, spend is
reported by project), measured in the same run, and the pricing process's peak memory. Targets
(issue 20): at most 1.5x that floor, and under 1 GB, for CSV and Parquet alike. For CSV the floor
that counts is the same GROUP BY over the file read as text (``TEXT_GROUPED``): DuckDB's typed read
is no check (see there); the ratio to its typed GROUP BY is printed as well.

It also prints, for Parquet, two more DuckDB references on the same file: a plain scan and
aggregate of the token columns, and the scan grouped by day alone.

    .venv/bin/python bench/bench_usage.py [ROWS] [csv|parquet]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10_000_000
FORMATS = [a for a in sys.argv[1:] if a in ("csv", "parquet")] or ["csv", "parquet"]
ALTERNATIVES = ["gpt-4o-mini", "deepseek-chat", "gemini-2.0-flash", "gpt-5-mini", "gemini-2.5-flash",
                "claude-3-5-haiku", "o3-mini", "gpt-4.1-nano", "gpt-oss-120b", "llama-3.3-70b"]
MODELS = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20240620", "gemini-2.0-flash", "deepseek-chat", "o3-mini",
          "gpt-5-mini", "claude-sonnet-4-5", "gemini-2.5-flash", "acme-internal-llm"]


def generate(path: Path, rows: int) -> None:
    """A synthetic log written by DuckDB directly (no Python row objects), Parquet or CSV by suffix."""
    import duckdb

    con = duckdb.connect()
    con.execute("SELECT setseed(0.42)")
    models = ", ".join(f"'{m}'" for m in MODELS)
    fmt = "PARQUET" if path.suffix == ".parquet" else "CSV, HEADER"
    con.execute(f"""
        COPY (
          SELECT TIMESTAMP '2025-10-01' + to_seconds(CAST(random() * 86400 * 420 AS BIGINT)) AS timestamp,
                 ([{models}])[1 + CAST(floor(random() * {len(MODELS)}) AS INTEGER)] AS model,
                 CAST(exp(7 + random() * 2) AS BIGINT) AS input_tokens,
                 CAST(exp(5 + random() * 2) AS BIGINT) AS output_tokens,
                 0 AS cached_input_tokens,
                 (['support-bot', 'search', 'analytics', 'internal-tools'])[1 + CAST(floor(random() * 4) AS INTEGER)] AS project
          FROM range({rows})
        ) TO '{path}' (FORMAT {fmt})""")


def reader(path: Path, text: bool = False) -> str:
    """DuckDB's own reader of the file, with its own type detection (``text``: a CSV's columns as text)."""
    if path.suffix == ".parquet":
        return f"read_parquet('{path}')"
    return f"read_csv('{path}', header=true, all_varchar=true)" if text else f"read_csv('{path}')"


SCAN = "SELECT count(*), sum(input_tokens), sum(output_tokens) FROM {reader}"
# Prices change by day, so an exact method must at least place each row on its day: this is that
# step alone, as a group-by (no model or project yet)
BY_DAY = ("SELECT CAST(timestamp AS DATE), count(*), sum(input_tokens), sum(output_tokens) "
          "FROM {reader} GROUP BY ALL")
# Pricing needs the tokens per day, model and project (prices change by day and model; spend is
# reported by project): the same scan grouped by those keys is the floor of any exact method.
GROUPED = ("SELECT CAST(timestamp AS DATE), model, project, count(*), sum(input_tokens), sum(output_tokens) "
           "FROM {reader} GROUP BY ALL")
# A CSV is text: DuckDB's typed read above is not a check (it reads the count "1.5" as 2, "0x10" as 16,
# "1e3" as 1000, silently), so an exact method must read the counts and timestamps as the text they are
# and cast them itself. This is that reading alone, cast and grouped, with no check: the CSV's floor.
TEXT_GROUPED = ("SELECT CAST(CAST(timestamp AS TIMESTAMP) AS DATE), model, project, count(*), "
                "sum(TRY_CAST(input_tokens AS BIGINT)), sum(TRY_CAST(output_tokens AS BIGINT)), "
                "sum(TRY_CAST(cached_input_tokens AS BIGINT)) FROM {reader} GROUP BY ALL")


def floor_seconds(path: Path, query: str = SCAN) -> float:
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(query.format(reader=reader(path, text=query is TEXT_GROUPED))).fetchall()
    return time.perf_counter() - start


def price_in_child(path: Path) -> dict:
    """Price in a fresh process, so its peak memory is its own; the time is the best of 3 runs."""
    code = f"""
import json, resource, time
from pricewar.data import catalog
from pricewar.analysis import usage
cat = catalog.load()
seconds = float("inf")
for _ in range(3):  # best of 3, as for the floors
    start = time.perf_counter()
    priced = usage.price_usage(cat, {str(path)!r}, alternatives={ALTERNATIVES!r})
    seconds = min(seconds, time.perf_counter() - start)
print(json.dumps({{"seconds": seconds, "rows": priced.rows, "usd": priced.total_usd,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    lines = []
    for fmt in FORMATS:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"usage.{fmt}"
            generate(path, ROWS)
            size_mb = path.stat().st_size / 2**20
            floor_seconds(path, GROUPED)  # warm the file cache
            grouped = min(floor_seconds(path, GROUPED) for _ in range(3))
            extra = {}
            if fmt == "parquet":
                extra = {"scan_s": min(floor_seconds(path) for _ in range(3)),
                         "by_day_s": min(floor_seconds(path, BY_DAY) for _ in range(3))}
            else:
                extra = {"text_grouped_floor_s": min(floor_seconds(path, TEXT_GROUPED) for _ in range(3))}
            result = price_in_child(path)
        ratio = result["seconds"] / grouped
        print(json.dumps({"format": fmt, "rows": ROWS, "file_mb": round(size_mb), "grouped_floor_s": round(grouped, 3),
                          **{k: round(v, 3) for k, v in {**extra, **result}.items()}}))
        lines.append(f"{fmt}: priced {ROWS:,} rows ({size_mb:,.0f} MB) + {len(ALTERNATIVES)} alternatives in "
                     f"{result['seconds']:.2f} s ({ROWS / result['seconds']:,.0f} rows/s); DuckDB's GROUP BY day, model, "
                     f"project {grouped:.2f} s; ratio {ratio:.2f}x" + (" (target <= 1.5)" if fmt == "parquet" else "")
                     + f"; peak memory {result['peak_mb']:,.0f} MB (target < 1024)")
        if fmt == "csv":
            text = extra["text_grouped_floor_s"]
            lines.append(f"  csv, read as text: DuckDB's GROUP BY of the columns as text, cast, {text:.2f} s; "
                         f"ratio {result['seconds'] / text:.2f}x (target <= 1.5)")
        elif extra:
            lines.append(f"  (parquet: a plain scan and sum takes {extra['scan_s']:.2f} s, grouped by day alone "
                         f"{extra['by_day_s']:.2f} s)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
