"""Shared fixtures: a small valid snapshot, copied per test so tests can break it, and one full run
of the reports on the committed data, shared by every test that reads a default page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def warm_runner_workers():
    """Import papermill, build the page exporter and validate the committed snapshot once in the test
    process: the runner's workers are forked from it, so no run's workers pay for them again (~0.6 s
    of CPU a run, ~30 runs)."""
    from pricewar.data import catalog
    from pricewar.report import runner

    runner._warm_imports()
    catalog.load()


# The test files that take longest (seconds of one worker, measured with --durations=0), run first:
# `make test` hands whole files to two pytest-xdist workers in collection order
# (--no-loadscope-reorder), so the short files fill in at the end and neither worker idles
# while the other finishes a long file (xdist's own order, most tests first, left ~10 s of one idle
# core at the end). test_tiers builds the shared full run before test_browser needs it.
LONGEST_FIRST = ["test_notebook_parameters.py", "test_runner.py", "test_notebook_parameters_01_02.py",
                 "test_weekly.py", "test_hostile.py", "test_tiers.py", "test_browser.py", "test_calendar.py",
                 "test_build.py"]


def pytest_collection_modifyitems(config, items):
    """Order the files as ``LONGEST_FIRST``, then the rest in collection order; tests keep their
    order within a file."""
    def rank(item):
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # a stable sort


FIXTURE_SNAPSHOT = "2026-01-31"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A data folder holding a copy of the fixture snapshot; PRICEWAR_DATA_DIR points at it."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "snapshot", root / "snapshots")
    (root / "curated").mkdir()
    monkeypatch.setenv("PRICEWAR_DATA_DIR", str(root))
    return root


@pytest.fixture
def fixture_catalog(data_dir):
    from pricewar.data import catalog

    return catalog.load()


@pytest.fixture(scope="session")
def full_run(tmp_path_factory, worker_id) -> Path:
    """The folder of one `pricewar run` of every report in reports.yaml on the committed snapshot
    (default parameters), built once per test session: under pytest-xdist the first worker that
    asks builds it under a lock and the others read it."""
    import fcntl

    from pricewar.report import runner

    if worker_id == "master":  # no xdist: this session's own temporary folder
        root = tmp_path_factory.mktemp("full-run")
    else:  # the session's base folder, shared by its workers (never another session's)
        root = tmp_path_factory.getbasetemp().parent / "full-run"
        root.mkdir(exist_ok=True)
    with open(root.parent / f"{root.name}.lock", "w") as lock:  # not root/.lock: the runner locks that one
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (root / "latest").exists():
                assert runner.run(out=root, quiet=True) == 0
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return (root / "latest").resolve()


def report_headlines(run_folder: Path, name: str) -> dict:
    """A report's recorded headlines in a run: key -> headline."""
    import json

    run = json.loads((run_folder / "run.json").read_text())
    report = next(r for r in run["reports"] if r["name"] == name)
    return {h["key"]: h for h in report["headlines"]}

