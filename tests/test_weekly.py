"""A weekly run that follows the market: data update, what changed since the last run, data age,
a failed update said on the index, old runs pruned."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from pricewar import cli, errors
from pricewar.data import update
from pricewar.data.paths import PROJECT_ROOT
from pricewar.report import runner
from test_runner import manifest


def run_ok(tmp_path, out, scale, keep=None):
    path = manifest(tmp_path, [("a", "plain.ipynb", {"scale": scale})])
    assert runner.run(manifest=path, out=out, quiet=True, keep=keep) == 0
    return json.loads(((out / "latest").resolve() / "run.json").read_text())


def test_the_second_run_shows_each_headline_against_the_first(tmp_path, data_dir):
    out = tmp_path / "out"
    first = run_ok(tmp_path, out, 1.0)
    assert first["previous_run"] is None
    second = run_ok(tmp_path, out, 2.0)
    assert second["previous_run"] == first["run_id"]
    total = second["reports"][0]["headlines"][0]
    assert (total["value"], total["previous"]) == (12.0, 6.0)
    index = ((out / "latest").resolve() / "index.html").read_text()
    assert "▲ from 6" in index and f"Changes against the previous run, {first['run_id']}" in index


def test_every_page_and_the_index_say_how_old_the_data_is(tmp_path, data_dir):
    record = run_ok(tmp_path, tmp_path / "out", 1.0)
    folder = (tmp_path / "out" / "latest").resolve()
    assert record["data_age"].startswith("Data: snapshot 2026-01-31 · prices observed up to")
    assert record["data_age"] in (folder / "index.html").read_text()
    assert 'class="pricewar-age">Data: snapshot 2026-01-31' in (folder / "a.html").read_text()


def test_a_failed_data_update_is_said_on_the_index_and_the_pages(tmp_path, data_dir):
    (data_dir / "snapshots" / update.STATUS_FILE).write_text(json.dumps(
        {"date": "2026-02-07", "status": "failed", "message": "data/curated/prices.csv:7: note: 'x' — disagrees"}))
    record = run_ok(tmp_path, tmp_path / "out", 1.0)
    assert record["notice"].startswith("The data update of 2026-02-07 failed (data/curated/prices.csv:7")
    assert "these reports use the last good snapshot, 2026-01-31" in record["notice"]
    folder = (tmp_path / "out" / "latest").resolve()
    assert "The data update of 2026-02-07 failed" in (folder / "a.html").read_text()


def test_keep_prunes_older_runs_but_never_the_newest_or_latest(tmp_path, data_dir):
    out = tmp_path / "out"
    for scale in (1.0, 2.0, 3.0):
        run_ok(tmp_path, out, scale, keep=2)
    assert [p.name for p in runner.run_folders(out)] == sorted(p.name for p in runner.run_folders(out))[-2:]
    assert len(runner.run_folders(out)) == 2 and (out / "latest").resolve() == runner.run_folders(out)[-1]
    with pytest.raises(errors.RunError, match="keep at least 1"):
        runner.run(manifest=manifest(tmp_path, [("a", "plain.ipynb", {})]), out=out, quiet=True, keep=0)


@pytest.fixture
def project_data(tmp_path, monkeypatch):
    """A copy of the project's data folder to update, and a registry that offers the installed versions."""
    root = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", root)
    monkeypatch.setenv("PRICEWAR_DATA_DIR", str(root))
    monkeypatch.setattr(update, "newest_version", lambda package: update.installed_versions()[package])
    return root


def test_data_update_dry_run_lists_installed_and_newest_versions(project_data, capsys):
    assert cli.main(["data", "update", "--dry-run"]) == 0
    out = capsys.readouterr().out
    for package, installed in update.installed_versions().items():
        assert f"{package}: installed {installed}, newest {installed}" in out
    assert not (project_data / "snapshots" / update.STATUS_FILE).exists()


def test_data_update_writes_a_snapshot_and_its_diff_and_records_the_outcome(project_data, capsys):
    assert cli.main(["data", "update", "--date", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert (project_data / "snapshots" / "2026-12-01" / "manifest.json").exists()
    assert "snapshot 2026-11-28 → 2026-12-01" in out and "gemini-4-argon @ google: 2/10 → 4/20" in out
    assert update.last_update(project_data / "snapshots")["status"] == "ok"


def test_a_data_update_that_fails_says_where_and_is_recorded(project_data, capsys):
    prices = project_data / "curated" / "prices.csv"
    text = prices.read_text()
    line = text[:text.index("disagrees: model-prices keeps Small 3.2")].count("\n") + 1
    prices.write_text(text.replace("disagrees: model-prices keeps Small 3.2", "model-prices keeps Small 3.2"))
    assert cli.main(["data", "update", "--date", "2026-12-01"]) == 1
    err = capsys.readouterr().err
    assert "the refresh of 2026-12-01 failed; the last good snapshot is 2026-11-28" in err
    # the curated file and line, and the package's value
    assert f"prices.csv:{line}: note:" in err and "disagrees with model-prices (0.1/0.3 on 2026-03-16)" in err
    assert "reports keep using the last good snapshot" in err
    assert update.last_update(project_data / "snapshots")["status"] == "failed"
    assert not (project_data / "snapshots" / "2026-12-01").exists()


def test_the_age_line_counts_unscored_models_only_when_there_are_some():
    from pricewar.data import coverage
    age = {"snapshot": "2026-11-28", "prices_observed": "2026-11-20", "newest_score": "2026-09-03"}
    assert coverage.age_phrase({**age, "unscored_since": 0}) == (
        "Data: snapshot 2026-11-28 · prices observed up to 2026-11-20 · scores up to 2026-09-03")
    assert coverage.age_phrase({**age, "unscored_since": 1}).endswith("(1 model released since has no score)")
    assert coverage.age_phrase({**age, "unscored_since": 4}).endswith("(4 models released since have no score)")
