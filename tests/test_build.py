"""Catalog build: canonical ids, precedence, conflicts, and atomic snapshot writes."""

from __future__ import annotations

import datetime as dt
import json
import pytest

from conftest import FIXTURES
from pricewar.data import catalog, refresh, schema, snapshot
from pricewar import cli, errors
from pricewar.data.sources import model_prices, models_dev

D = dt.date
SNAPSHOT_DATE = D(2026, 11, 28)
SCORES = "model_id,metric,score,as_of,applies_from,source_url,note\no3,gpqa_diamond,80,2025-05-01,,https://example.org/s,fixture\n"
CURATED_PRICES_HEADER = ("model_id,host,start_date,end_date,input_usd_per_mtok,output_usd_per_mtok,"
                         "cached_input_usd_per_mtok,source,source_url,note\n")


def fixture_sources():
    return [
        models_dev.rows_from_models_dev(json.loads((FIXTURES / "sources/models_dev.json").read_text()), "1.0.0"),
        model_prices.rows_from_model_prices(json.loads((FIXTURES / "sources/model_prices.json").read_text()),
                                            "0.0.1", SNAPSHOT_DATE),
    ]


def build(tmp_path, curated_prices: str = "", force=False, scores: str = SCORES, retirements: str = "",
          prices_header: str = CURATED_PRICES_HEADER):
    curated = tmp_path / "curated"
    curated.mkdir(exist_ok=True)
    if curated_prices:
        (curated / "prices.csv").write_text(prices_header + curated_prices)
    if retirements:
        (curated / "retirements.csv").write_text("model_id,host,retired_date,source_url,note\n" + retirements)
    (curated / "scores.csv").write_text(scores)
    folder = refresh.refresh(SNAPSHOT_DATE, root=tmp_path / "snapshots", curated=curated,
                             sources=fixture_sources(), force=force)
    return catalog.load(folder.name, root=tmp_path / "snapshots")


def test_dated_snapshot_is_an_alias_only_when_its_price_matches(tmp_path):
    cat = build(tmp_path)
    assert cat.resolve("gpt-4o-2024-08-06") == "gpt-4o"
    assert cat.resolve("gpt-4o-2024-05-13") == "gpt-4o-2024-05-13"
    assert cat.price_at("gpt-4o-2024-05-13")["input_usd_per_mtok"] == 5.0


def test_models_table_metadata(tmp_path):
    models = build(tmp_path).models.set_index("model_id")
    assert models.at["llama-3.3-70b", "creator"] == "meta"
    assert bool(models.at["llama-3.3-70b", "open_weights"]) is True
    assert models.at["gpt-4o", "release_date"] == dt.datetime(2024, 5, 13)
    # a 1970-01-01 placeholder is not a release date
    assert models.at["gpt-oss-120b", "creator"] == "openai"
    assert str(models.at["gpt-oss-120b", "release_date"]) == "NaT"


def test_curated_rows_win_and_disagreements_are_listed(tmp_path):
    cat = build(tmp_path, "o3,openai,2025-04-16,2025-06-10,10,40,2.5,curated,https://example.org/launch,launch\n"
                          "o3,openai,2025-06-10,,2.5,9,0.5,curated,https://example.org/cut,"
                          "disagrees: hypothetical price for the test\n")
    assert cat.price_at("o3", "2025-05-01")["source"] == "curated"
    assert cat.price_at("o3", "2025-07-01")["input_usd_per_mtok"] == 2.5
    conflicts = cat.conflicts
    assert len(conflicts) == 1
    row = conflicts.iloc[0]
    assert (row["model_id"], row["kept_source"], row["other_source"]) == ("o3", "curated", "model-prices")
    assert (row["kept_input_usd_per_mtok"], row["other_input_usd_per_mtok"]) == (2.5, 2.0)


def test_lower_precedence_source_fills_only_uncovered_days(tmp_path):
    cat = build(tmp_path, "o3,openai,2025-06-10,2025-09-01,2,8,0.5,curated,https://example.org/cut,cut\n")
    o3 = cat.prices[(cat.prices["model_id"] == "o3") & (cat.prices["host"] == "openai")]
    spans = [(r.start_date.date(), None if str(r.end_date) == "NaT" else r.end_date.date(), r.source)
             for r in o3.itertuples()]
    assert spans == [(D(2025, 4, 16), D(2025, 6, 10), "model-prices"),
                     (D(2025, 6, 10), D(2025, 9, 1), "curated"),
                     (D(2025, 9, 1), None, "model-prices")]
    assert cat.conflicts.empty


def test_a_retirement_ends_every_hosts_price_and_skips_later_ones(tmp_path):
    cat = build(tmp_path, retirements="o3,all,2025-09-01,https://example.org/shutdown,\n"
                                      "gpt-4o,all,2025-08-05,https://example.org/gone,\n")
    assert cat.price_at("o3", "2025-08-31")["input_usd_per_mtok"] == 2.0
    with pytest.raises(errors.NoPriceError, match="last price ended 2025-09-01"):
        cat.price_at("o3", "2025-09-01")
    ended = cat.prices[(cat.prices["model_id"] == "o3") & cat.prices["end_date"].notna()].iloc[-1]
    assert "ended at retirement 2025-09-01 (https://example.org/shutdown)" in ended["note"]
    # gpt-4o's only price starts on its retirement day: skipped, and counted
    assert "gpt-4o" not in set(cat.prices["model_id"])
    skipped = cat.manifest["skipped"]["build"]["price on or after the model's retirement (data/curated/retirements.csv)"]
    assert skipped["count"] == 1 and skipped["examples"] == ["models-dev openai/gpt-4o from 2025-08-05"]
    assert [r["model_id"] for r in cat.manifest["retirements"]] == ["o3", "gpt-4o"]


def test_a_retirement_at_one_host_leaves_the_others(tmp_path):
    cat = build(tmp_path, retirements="o3,azure,2025-09-01,https://example.org/azure-only,\n")
    assert cat.price_at("o3", "2026-01-01")["input_usd_per_mtok"] == 2.0


@pytest.mark.parametrize("row, problem", [
    ("o9,all,2025-09-01,https://example.org/x,", "model_id: 'o9' — unknown model_id: not in the models table"),
    ("o3,all,2026-12-01,https://example.org/scheduled,", "retired_date: '2026-12-01' — date after the snapshot date 2026-11-28"),
    ("o3,all,2025-09-01,,", "source_url: '' — every curated row needs a source URL"),
])
def test_a_bad_retirement_fails_the_refresh_and_writes_nothing(tmp_path, row, problem):
    with pytest.raises(errors.ValidationError) as info:
        build(tmp_path, retirements=row + "\n")
    assert f"retirements.csv:2: {problem}" in str(info.value)
    assert not (tmp_path / "snapshots" / "2026-11-28").exists()


def test_a_batch_tier_or_fine_tuned_price_is_not_a_model_and_is_skipped_and_counted(tmp_path):
    sources = fixture_sources()
    gpt4o = next(row for row in sources[0].prices if row["raw_id"] == "gpt-4o")
    sources[0].prices += [{**gpt4o, "raw_id": "gpt-4o:batch", "input_usd_per_mtok": 1.25},
                          {**gpt4o, "raw_id": "ft:gpt-4o", "input_usd_per_mtok": 3.75}]
    curated = tmp_path / "curated"
    curated.mkdir()
    (curated / "scores.csv").write_text(SCORES)
    folder = refresh.refresh(SNAPSHOT_DATE, root=tmp_path / "snapshots", curated=curated, sources=sources)
    cat = catalog.load(folder.name, root=tmp_path / "snapshots")
    assert not {"gpt-4o:batch", "ft:gpt-4o"} & (set(cat.prices["model_id"]) | set(cat.models["model_id"]))
    skipped = cat.manifest["skipped"]["build"]
    assert skipped["batch-tier price, not a model's standard list price"]["examples"] == ["models-dev openai/gpt-4o:batch"]
    assert skipped["price of a fine-tuned copy, not a model's standard list price"]["count"] == 1


def test_manifest_records_versions_counts_checksums_and_skips(tmp_path):
    cat = build(tmp_path)
    manifest = cat.manifest
    assert manifest["packages"] == {"models-dev": "1.0.0", "model-prices": "0.0.1"}
    assert manifest["files"]["prices.csv"]["rows"] == len(cat.prices)
    assert manifest["files"]["prices.csv"]["sha256"] == snapshot.sha256(cat.folder / "prices.csv")
    assert manifest["skipped"]["models-dev"]["zero price (free tier or local runtime)"]["count"] == 1


def test_bad_curated_file_writes_nothing_and_keeps_earlier_snapshots(tmp_path):
    earlier = build(tmp_path).folder
    before = {p.name: p.read_bytes() for p in earlier.iterdir()}
    curated = tmp_path / "curated"
    (curated / "prices.csv").write_text(CURATED_PRICES_HEADER + "o3,openai,2025-06-10,,0.002,8,,curated,,typo\n")
    with pytest.raises(errors.ValidationError) as info:
        refresh.refresh(D(2026, 11, 29), root=tmp_path / "snapshots", curated=curated, sources=fixture_sources())
    message = str(info.value)
    assert "prices.csv:2: source_url: '' — every curated row needs a source URL" in message
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == ["2026-11-28"]
    assert {p.name: p.read_bytes() for p in earlier.iterdir()} == before


def test_same_date_needs_force(tmp_path):
    build(tmp_path)
    with pytest.raises(errors.SnapshotError, match="already exists"):
        build(tmp_path)
    assert build(tmp_path, force=True).snapshot_id == "2026-11-28"


def test_failed_write_leaves_no_partial_folder(tmp_path):
    def explode(staging):
        raise KeyboardInterrupt  # as if the run were interrupted mid-write

    cat = build(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        snapshot.write("2026-11-28", {name: getattr(cat, name) for name in snapshot.TABLE_FILES},
                       {}, root=tmp_path / "other", check=explode)
    assert list((tmp_path / "other").iterdir()) == []


def test_cli_refresh_reports_bad_curated_data(data_dir, capsys):
    (data_dir / "curated" / "scores.csv").write_text(
        "model_id,metric,score,as_of,applies_from,source_url,note\ngpt-4o,gpqa_diamond,50,2024-13-01,,https://example.org/,\n")
    assert cli.main(["data", "refresh", "--date", "2026-02-01"]) == 1
    err = capsys.readouterr().err
    assert "scores.csv:2: as_of: '2024-13-01' — malformed date: expected YYYY-MM-DD" in err
    assert "no snapshot written" in err
    assert not (data_dir / "snapshots" / "2026-02-01").exists()


def test_an_unexplained_disagreement_with_the_packages_fails_the_refresh(tmp_path):
    with pytest.raises(errors.ValidationError) as info:
        build(tmp_path, "o3,openai,2025-06-10,,2.5,9,0.5,curated,https://example.org/cut,typo?\n")
    assert ("note: 'typo?' — curated o3 at openai from 2025-06-10 disagrees with model-prices (2.0/8.0 on "
            "2025-06-10): fix data/curated/prices.csv or explain with 'disagrees: …' in its note") in str(info.value)
    assert not (tmp_path / "snapshots" / "2026-11-28").exists()


def test_a_curated_price_needs_a_capability_score(tmp_path):
    with pytest.raises(errors.ValidationError, match="model_id: 'o3' — has a curated price but no capability score"):
        build(tmp_path, "o3,openai,2025-06-10,,2,8,0.5,curated,https://example.org/cut,cut\n",
              scores="model_id,metric,score,as_of,applies_from,source_url,note\n")


def test_a_price_that_starts_when_a_source_saw_it_is_marked_observed_from(tmp_path):
    scores = SCORES + "gpt-4o,gpqa_diamond,50,2024-05-13,,https://example.org/s,fixture\n"
    cat = build(tmp_path, "gpt-4o,openai,2024-05-13,2025-09-01,2.5,10,,curated,https://example.org/l,launch,,\n"
                          "gpt-4o,azure,2025-01-01,,2.5,10,,curated,https://example.org/a,first seen on a dated page,,true\n",
                scores=scores, prices_header=CURATED_PRICES_HEADER.replace("note\n", "note,status,observed_from\n"))
    rows = cat.prices[cat.prices["model_id"] == "gpt-4o"].sort_values(["host", "start_date"])
    marks = [(r.host, r.start_date.date(), r.source, bool(r.observed_from)) for r in rows.itertuples()]
    assert ("openai", D(2024, 5, 13), "curated", False) in marks     # a launch
    assert ("azure", D(2025, 1, 1), "curated", True) in marks        # curated: first documented, not launch
    # models.dev saw the price on 2025-08-05; the piece after the curated price's end starts on that
    # documented end, not on an observation
    assert ("openai", D(2025, 9, 1), "models-dev", False) in marks
    seen = cat.prices[(cat.prices["source"] == "models-dev") & (cat.prices["start_date"] == "2025-08-05")]
    assert len(seen) and seen["observed_from"].all()  # models.dev's data date
