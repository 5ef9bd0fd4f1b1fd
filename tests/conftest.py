"""Shared fixtures: a small valid snapshot, copied per test so tests can break it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
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


def run_report_headlines(tmp_path, notebook: Path, parameters: dict) -> dict:
    """Run one notebook through `pricewar run` and return its recorded headlines: key → headline."""
    import json

    from pricewar.report import runner

    manifest = tmp_path / "reports.yaml"
    manifest.write_text(f"- name: report\n  notebook: {notebook}\n  title: Report\n  parameters: {json.dumps(parameters)}\n")
    assert runner.run(manifest=manifest, out=tmp_path / "out", quiet=True) == 0
    run = json.loads(((tmp_path / "out" / "latest").resolve() / "run.json").read_text())
    return {h["key"]: h for h in run["reports"][0]["headlines"]}

