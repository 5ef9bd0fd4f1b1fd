"""``pricewar data refresh``: packages + curated files + report inputs → a new validated snapshot."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from pricewar import __version__
from pricewar.data import build, catalog, schema, snapshot
from pricewar.data.paths import curated_dir, data_dir, relative
from pricewar.data.sources import epoch_hub, genai_prices, model_prices, models_dev
from pricewar.errors import DataError, SnapshotError, ValidationError

__all__ = ["read_curated", "input_files", "curated_rows", "refresh"]

# A refresh that would drop more curated rows than this against the snapshot it follows stops and
# names them (a deleted line, a truncated save); fewer are listed in the manifest and printed.
MAX_QUIET_REMOVALS = 3
# The curated rows of a snapshot, by their natural key: table -> key columns.
CURATED_ROW_KEYS = {"models": ["model_id"], "prices": ["model_id", "host", "start_date"],
                    "scores": ["model_id", "metric", "as_of", "applies_from"],  # a new source for a score is not a loss
                    "aliases": ["alias"], "versions": ["api_name", "host", "start_date"],
                    "classified_changes": ["model_id", "host", "date"], "announced": ["model_id", "host", "start_date"]}


def _curated_rules(curated_text: dict, tables, folder: Path) -> list:
    """``schema.check_curated_rules`` on the curated files themselves, so a problem names
    ``data/curated/prices.csv`` and its line, not the snapshot being built."""
    conflicts = tables.conflicts.copy()
    for column in ("start_date", "end_date"):
        conflicts[column] = conflicts[column].map(lambda d: "" if d is None or pd.isna(d) else str(d))
    frames = {"prices": curated_text["prices"].assign(source="curated"), "conflicts": conflicts,
              "scores": tables.scores[["model_id"]], "versions": curated_text["versions"]}
    unscored = dict(zip(curated_text["unscored"]["model_id"], curated_text["unscored"]["reason"]))
    return schema.check_curated_rules(frames, relative(folder / "prices.csv"), unscored)


def read_curated(folder: Path, snapshot_date: dt.date, whole: bool = False
                 ) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], list]:
    """Curated tables as (text frames, typed frames, problems).

    ``whole`` (the project's own ``data/curated``): every table must exist and have rows, so a
    deleted or emptied file is refused instead of building a snapshot without that history, and a
    row with a secondary source must say why in its note (``schema.check_secondary_notes``).
    Otherwise (a test's or an experiment's folder) absent or header-only files are empty tables.
    """
    text, typed, problems = {}, {}, []
    for table, columns in schema.CURATED_COLUMNS.items():
        path = folder / f"{table}.csv"
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
        if path.is_dir():
            problems.append(schema.Problem(relative(path), 1, "", "", "a folder where a curated CSV file belongs"))
        elif path.exists():
            read, read_problems = schema.read_text_table(path)
            problems += read_problems
            if read is not None:
                problems += schema.check_table(read, table, relative(path), snapshot_date=snapshot_date,
                                               columns=columns, require_http_source="source_url" in columns,
                                               require_rows=whole)
                if whole:  # the project's own facts say what kind of source each has
                    problems += schema.check_secondary_notes(read, relative(path))
                frame = read
        elif whole:
            problems.append(schema.Problem(relative(path), 1, "", "", "missing curated table: the project's "
                                           f"history needs it (restore it: git checkout -- {relative(path)})"))
        text[table] = frame
        typed[table] = schema.typed(frame[[c for c in frame.columns if c in columns]], table)
    return text, typed, problems


def curated_rows(tables: dict[str, pd.DataFrame], manifest: dict) -> set[str]:
    """The curated rows of a snapshot (text tables + manifest), each as ``table: key|key``: rows whose
    ``source`` is curated (tables without one are all curated), the retirements and the unscored reasons."""
    rows = set()
    for table, keys in CURATED_ROW_KEYS.items():
        frame = tables.get(table)
        if frame is None:
            continue
        if "source" in frame.columns and table != "scores":
            frame = frame[frame["source"] == "curated"]
        present = [k for k in keys if k in frame.columns]
        rows |= {f"{table}: " + "|".join(values) for values in frame[present].itertuples(index=False)}
    rows |= {f"retirements: {r.get('model_id')}|{r.get('host')}" for r in manifest.get("retirements", [])}
    rows |= {f"unscored: {model_id}" for model_id in manifest.get("unscored", {})}
    return rows


def _snapshot_rows(folder: Path) -> set[str]:
    tables = {t: pd.read_csv(folder / f"{t}.csv", dtype=str, keep_default_na=False)
              for t in CURATED_ROW_KEYS if (folder / f"{t}.csv").exists()}
    return curated_rows(tables, snapshot.read_manifest(folder))


def _as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as its snapshot CSV will read back: text, dates as YYYY-MM-DD."""
    text = frame.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _previous_snapshot(root: Path, snapshot_date: dt.date) -> Path | None:
    """The snapshot a refresh for ``snapshot_date`` follows: the one it replaces, else the newest before it."""
    ids = [s for s in snapshot.list_snapshots(root) if s <= snapshot_date.isoformat()]
    return root / ids[-1] if ids else None


def removed_curated_rows(previous: Path | None, tables: dict[str, pd.DataFrame], manifest: dict,
                         allow: bool) -> list[str]:
    """Curated rows of the ``previous`` snapshot that the one being built (``tables``, ``manifest``)
    lacks; raises ``DataError`` when there are more than ``MAX_QUIET_REMOVALS`` and not ``allow``."""
    if previous is None:
        return []
    new = curated_rows({t: _as_written(f) for t, f in tables.items() if t in CURATED_ROW_KEYS}, manifest)
    gone = sorted(_snapshot_rows(previous) - new)
    if len(gone) > MAX_QUIET_REMOVALS and not allow:
        shown = "; ".join(gone[:20]) + (f"; … and {len(gone) - 20} more" if len(gone) > 20 else "")
        raise DataError(f"this refresh would drop {len(gone)} curated rows that snapshot {previous.name} holds "
                        f"(more than {MAX_QUIET_REMOVALS}): {shown}. Restore them in {relative(curated_dir())}/, "
                        "or rerun with --allow-removals if the removal is intended")
    return gone


def _phantom_alias_targets(aliases: pd.DataFrame, sources: list, models: pd.DataFrame, folder: Path) -> list:
    """A curated alias must point at a model that exists without it (a package id or a curated
    model); else the alias itself would create a phantom model that takes the aliased prices."""
    existing = set(build.assign_model_ids([row for s in sources for row in s.prices], {}).values())
    existing |= set(models["model_id"])
    file = relative(folder / "aliases.csv")
    return [schema.Problem(file, int(idx) + 2, "model_id", target,
                           "not a model of the packages or of data/curated/models.csv: an alias must name an "
                           "existing model")
            for idx, target in aliases["model_id"].items() if target and target not in existing]


def input_files(inputs: Path, curated: Path) -> dict[str, Path]:
    """The report inputs to copy into a snapshot, name → file: the YAML inputs from ``inputs``
    (``data/``), ``self_hosting.csv`` from ``curated``. A file that does not exist is not copied,
    and a report that needs it says the snapshot lacks it."""
    folders = {"self_hosting": curated}
    files = {name: folders.get(name, inputs) / file for name, file in snapshot.INPUT_FILES.items()}
    return {name: path for name, path in files.items() if path.exists()}


def refresh(snapshot_date: dt.date | None = None, force: bool = False, root: Path | None = None,
            curated: Path | None = None, sources: list | None = None, inputs: Path | None = None,
            allow_removals: bool = False, epoch=None) -> Path:
    """Build and write ``snapshots/<date>/``; raises ``ValidationError`` and writes nothing on bad data.

    ``curated`` defaults to ``data/curated`` (then every curated table must exist and have rows),
    ``inputs`` (the folder of the YAML report inputs) to ``data/``; ``sources`` to the installed
    packages, and ``epoch`` then to Epoch AI's hub files vendored in ``data/vendor/epoch-hub``
    (with ``sources`` given, only an ``epoch`` given is used). A build that drops more than ``MAX_QUIET_REMOVALS`` curated rows of the snapshot it
    follows stops (``DataError``) unless ``allow_removals``; the rows it drops are in the manifest.
    """
    snapshot_date = snapshot_date or dt.date.today()
    folder = curated or curated_dir()
    root = root or snapshot.snapshots_dir()
    if root.joinpath(snapshot_date.isoformat()).exists() and not force:
        raise SnapshotError(f"snapshot {snapshot_date} already exists; use --force to rebuild it")
    copies = input_files(inputs or data_dir(), folder)
    curated_text, curated_typed, problems = read_curated(folder, snapshot_date, whole=curated is None)
    # checked in their own files first, so a problem names data/…, not the snapshot's copy
    problems += [p for name, path in copies.items() for p in schema.read_input(path, name, snapshot_date)[1]]
    if problems:
        raise ValidationError(problems)
    if sources is None:
        sources = [models_dev.load(), model_prices.load(snapshot_date), genai_prices.load(snapshot_date)]
        if epoch is None and (data_dir() / "vendor" / "epoch-hub").is_dir():
            epoch = epoch_hub.load(data_dir() / "vendor" / "epoch-hub")
    tables = build.build_tables(snapshot_date, sources, curated_typed, epoch)
    known = set(tables.models["model_id"])
    for table in ("prices", "scores", "aliases", "unscored", "retirements", "versions", "classified_changes"):
        problems += schema.check_table(curated_text[table], table, relative(folder / f"{table}.csv"),
                                       snapshot_date=snapshot_date, columns=schema.CURATED_COLUMNS[table],
                                       known_models=known)
    problems += _curated_rules(curated_text, tables, folder)
    problems += _phantom_alias_targets(curated_text["aliases"], sources, curated_text["models"], folder)
    if problems:
        raise ValidationError(sorted(set(problems)))
    manifest = {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "pricewar_version": __version__,
        "packages": {s.name: s.version for s in sources},
        "vendored": {epoch_hub.SOURCE: epoch.files} if epoch is not None else {},
        "observed": {s.name: s.observed_on.isoformat() for s in sources if s.observed_on},
        "precedence": build.PRECEDENCE,
        "skipped": tables.skipped,
        "unscored": dict(zip(curated_text["unscored"]["model_id"], curated_text["unscored"]["reason"])),
        "retirements": curated_text["retirements"].to_dict("records"),
    }
    frames = {name: getattr(tables, name) for name in snapshot.TABLE_FILES}
    manifest["removed_curated_rows"] = removed_curated_rows(_previous_snapshot(root, snapshot_date), frames,
                                                            manifest, allow_removals)
    return snapshot.write(snapshot_date.isoformat(), frames, manifest, root=root, force=force, inputs=copies,
                          check=lambda staging: catalog.check_snapshot(staging, snapshot_date)[1])
