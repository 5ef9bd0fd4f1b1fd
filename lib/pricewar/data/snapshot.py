"""Dated snapshots under ``data/snapshots/<YYYY-MM-DD>/``: read, resolve, write atomically.

A snapshot folder holds ``models.csv``, ``prices.csv``, ``scores.csv``,
``aliases.csv``, ``conflicts.csv``, the report inputs copied from ``data/``
(``anchors.yaml``, ``claims.yaml``, ``sources.yaml``, ``self_hosting.csv``) and
``manifest.json`` (package versions, row counts, sha256 of each file, build time,
rows skipped by reason). A report reads nothing else, so it is reproducible from
its snapshot. A refresh
writes a new folder under a temporary name and renames it into place, so a
failed refresh leaves nothing behind and earlier snapshots are never touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from pricewar.data.paths import relative, snapshots_dir
from pricewar.errors import DataError, SnapshotError, ValidationError

__all__ = ["TABLE_FILES", "LATER_TABLES", "INPUT_FILES", "list_snapshots", "resolve", "sha256", "write", "read_manifest",
           "remove_stale_staging"]

TABLE_FILES = ["models", "prices", "scores", "aliases", "conflicts", "versions", "classified_changes", "announced",
               "task_runs"]
# Tables added after snapshots were first written: a snapshot built before lacks them (they are empty).
LATER_TABLES = {"versions", "classified_changes", "announced", "task_runs"}
# Report inputs, copied byte for byte into the snapshot by a refresh: name -> file name.
INPUT_FILES = {"anchors": "anchors.yaml", "claims": "claims.yaml", "sources": "sources.yaml",
               "self_hosting": "self_hosting.csv"}
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def list_snapshots(root: Path | None = None) -> list[str]:
    """Snapshot ids (dates), oldest first: folders named by a real date that hold a ``manifest.json``
    (a stray empty folder, or one named ``2026-13-45``, is not a snapshot and never becomes latest)."""
    root = root or snapshots_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and _DATED.match(p.name) and _is_day(p.name) and (p / "manifest.json").is_file())


def _is_day(name: str) -> bool:
    try:
        dt.date.fromisoformat(name)
        return True
    except ValueError:
        return False


def remove_stale_staging(root: Path) -> list[str]:
    """Remove ``.tmp-*`` folders under ``root`` left by a process that is provably dead (its pid is
    in the name and no such process exists); returns their names. Others are left alone."""
    removed = []
    for path in root.glob(".tmp-*") if root.is_dir() else []:
        found = re.search(r"-pid(\d+)-", path.name)
        if path.is_dir() and found and not _alive(int(found.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True


def resolve(snapshot: str = "latest", root: Path | None = None) -> Path:
    """The folder of ``snapshot`` ("latest" or a date)."""
    root = root or snapshots_dir()
    available = list_snapshots(root)
    if snapshot == "latest":
        if not available:
            raise SnapshotError(f"no snapshot in {root}: run `pricewar data refresh`")
        snapshot = available[-1]
    if snapshot not in available:
        raise SnapshotError(f"no snapshot {snapshot!r} in {root}; available: {', '.join(available) or 'none'}")
    return root / snapshot


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(snapshot_id: str, tables: dict, manifest: dict, root: Path | None = None, force: bool = False,
          check=None, inputs: dict[str, Path] | None = None) -> Path:
    """Write tables (name → DataFrame), report inputs (name → file to copy, see ``INPUT_FILES``)
    and the manifest as ``<root>/<snapshot_id>/``, atomically.

    ``check(staging_folder)`` returns problems found in the written files; any
    problem aborts the write (``ValidationError``) and nothing becomes visible.
    An existing folder of the same id is replaced only with ``force``; other
    snapshots are never touched.
    """
    root = root or snapshots_dir()
    root.mkdir(parents=True, exist_ok=True)
    final = root / snapshot_id
    if final.exists() and not force:
        raise SnapshotError(f"snapshot {snapshot_id} already exists at {final}; use --force to rebuild it")
    remove_stale_staging(root)
    staging = Path(tempfile.mkdtemp(prefix=f".tmp-{snapshot_id}-pid{os.getpid()}-", dir=root))
    try:
        files = {}
        for name in TABLE_FILES:
            path = staging / f"{name}.csv"
            tables[name].to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")
            files[f"{name}.csv"] = {"rows": int(len(tables[name])), "sha256": sha256(path)}
        for name, original in (inputs or {}).items():
            path = staging / INPUT_FILES[name]
            shutil.copyfile(original, path)
            files[INPUT_FILES[name]] = {"sha256": sha256(path), "copied_from": relative(original)}
        manifest = {**manifest, "snapshot": snapshot_id, "files": files}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
        for path in staging.iterdir():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        if check is not None:
            problems = check(staging)
            if problems:  # name the snapshot being built, not a temporary folder that is about to go
                built = f"{relative(root / snapshot_id)} (being built from the sources; not written)"
                raise ValidationError([dataclasses.replace(p, file=p.file.replace(relative(staging), built))
                                       for p in problems])
        if final.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".tmp-old-{snapshot_id}-pid{os.getpid()}-", dir=root))
            os.rename(final, retired / snapshot_id)
            os.rename(staging, final)
            shutil.rmtree(retired)
        else:
            os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def read_manifest(folder: Path) -> dict:
    """A snapshot's manifest; ``DataError`` naming the file when it is not a JSON object."""
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{relative(path)}: not a readable manifest ({exc}); rebuild the snapshot with "
                        f"`pricewar data refresh --date {folder.name} --force`") from None
    if not isinstance(manifest, dict):
        raise DataError(f"{relative(path)}: not a manifest (a JSON object); rebuild the snapshot with "
                        f"`pricewar data refresh --date {folder.name} --force`")
    return manifest

