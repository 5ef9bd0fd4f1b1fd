"""``pricewar data refresh``: packages + curated files + report inputs → a new validated snapshot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pricewar import __version__
from pricewar.data import build, catalog, schema, snapshot
from pricewar.data.paths import curated_dir, data_dir, relative
from pricewar.data.sources import genai_prices, model_prices, models_dev
from pricewar.errors import SnapshotError, ValidationError

__all__ = ["read_curated", "input_files", "refresh"]


def _curated_rules(curated_text: dict, tables, folder: Path) -> list:
    """``schema.check_curated_rules`` on the curated files themselves, so a problem names
    ``data/curated/prices.csv`` and its line, not the snapshot being built."""
    conflicts = tables.conflicts.copy()
    for column in ("start_date", "end_date"):
        conflicts[column] = conflicts[column].map(lambda d: "" if d is None or pd.isna(d) else str(d))
    frames = {"prices": curated_text["prices"].assign(source="curated"), "conflicts": conflicts,
              "scores": curated_text["scores"], "versions": curated_text["versions"]}
    unscored = dict(zip(curated_text["unscored"]["model_id"], curated_text["unscored"]["reason"]))
    return schema.check_curated_rules(frames, relative(folder / "prices.csv"), unscored)


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


def input_files(inputs: Path, curated: Path) -> dict[str, Path]:
    """The report inputs to copy into a snapshot, name → file: the YAML inputs from ``inputs``
    (``data/``), ``self_hosting.csv`` from ``curated``. A file that does not exist is not copied,
    and a report that needs it says the snapshot lacks it."""
    folders = {"self_hosting": curated}
    files = {name: folders.get(name, inputs) / file for name, file in snapshot.INPUT_FILES.items()}
    return {name: path for name, path in files.items() if path.exists()}


def refresh(snapshot_date: dt.date | None = None, force: bool = False, root: Path | None = None,
            curated: Path | None = None, sources: list | None = None, inputs: Path | None = None) -> Path:
    """Build and write ``snapshots/<date>/``; raises ``ValidationError`` and writes nothing on bad data.

    ``curated`` defaults to ``data/curated``, ``inputs`` (the folder of the YAML report inputs)
    to ``data/``; ``sources`` to the installed packages.
    """
    snapshot_date = snapshot_date or dt.date.today()
    folder = curated or curated_dir()
    if (root or snapshot.snapshots_dir()).joinpath(snapshot_date.isoformat()).exists() and not force:
        raise SnapshotError(f"snapshot {snapshot_date} already exists; use --force to rebuild it")
    copies = input_files(inputs or data_dir(), folder)
    curated_text, curated_typed, problems = read_curated(folder, snapshot_date)
    # checked in their own files first, so a problem names data/…, not the snapshot's copy
    problems += [p for name, path in copies.items() for p in schema.read_input(path, name, snapshot_date)[1]]
    if problems:
        raise ValidationError(problems)
    if sources is None:
        sources = [models_dev.load(), model_prices.load(snapshot_date), genai_prices.load(snapshot_date)]
    tables = build.build_tables(snapshot_date, sources, curated_typed)
    known = set(tables.models["model_id"])
    for table in ("prices", "scores", "aliases", "unscored", "retirements", "versions", "classified_changes"):
        problems += schema.check_table(curated_text[table], table, relative(folder / f"{table}.csv"),
                                       snapshot_date=snapshot_date, columns=schema.CURATED_COLUMNS[table],
                                       known_models=known)
    problems += _curated_rules(curated_text, tables, folder)
    if problems:
        raise ValidationError(sorted(set(problems)))
    manifest = {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "pricewar_version": __version__,
        "packages": {s.name: s.version for s in sources},
        "observed": {s.name: s.observed_on.isoformat() for s in sources if s.observed_on},
        "precedence": build.PRECEDENCE,
        "skipped": tables.skipped,
        "unscored": dict(zip(curated_text["unscored"]["model_id"], curated_text["unscored"]["reason"])),
        "retirements": curated_text["retirements"].to_dict("records"),
    }
    frames = {name: getattr(tables, name) for name in snapshot.TABLE_FILES}
    return snapshot.write(snapshot_date.isoformat(), frames, manifest, root=root, force=force, inputs=copies,
                          check=lambda staging: catalog.check_snapshot(staging, snapshot_date)[1])


