"""Epoch AI's hub adapter: settings, billed tokens, the vendored files' checks, the mapping to catalog ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pricewar.data import catalog
from pricewar.data.sources import epoch_hub
from pricewar.errors import DataError

VENDORED = Path(__file__).resolve().parents[1] / "data" / "vendor" / "epoch-hub"


@pytest.mark.parametrize("version,expected", [
    ("claude-opus-4-8_high", ("claude-opus-4-8", "high")), ("o1_32K", ("o1", "32K")),
    ("gpt-4o-2024-08-06", ("gpt-4o-2024-08-06", "")), ("deepseek-v4-pro_unknown", ("deepseek-v4-pro", "unknown")),
])
def test_a_reasoning_setting_is_a_setting_of_one_version(version, expected):
    assert epoch_hub.split_setting(version) == expected


def test_billed_tokens_follow_each_providers_accounting():
    # OpenAI: cache reads are part of the input, reasoning part of the output
    assert epoch_hub.billed_tokens("openai", {"input_tokens": 1000, "output_tokens": 500, "total_tokens": 1500,
                                              "input_tokens_cache_read": 400, "reasoning_tokens": 300}) == \
        {"input_tokens": 600, "cached_input_tokens": 400, "output_tokens": 500, "reasoning_tokens": 300}
    # Anthropic: cache reads and writes beside the input; writes billed as input
    assert epoch_hub.billed_tokens("anthropic", {"input_tokens": 100, "output_tokens": 50, "input_tokens_cache_read": 900,
                                                 "input_tokens_cache_write": 20, "total_tokens": 1070}) == \
        {"input_tokens": 120, "cached_input_tokens": 900, "output_tokens": 50, "reasoning_tokens": 0}
    # Gemini: reasoning beside the output, billed as output
    assert epoch_hub.billed_tokens("google", {"input_tokens": 100, "output_tokens": 50, "reasoning_tokens": 700,
                                              "total_tokens": 850})["output_tokens"] == 750


def test_a_vendored_file_that_changed_is_refused_by_name(tmp_path):
    folder = tmp_path / "epoch-hub"
    shutil.copytree(VENDORED, folder)
    assert len(epoch_hub.load(folder).runs) > 100
    runs = folder / "benchmark_runs.csv"
    runs.write_text(runs.read_text().replace(",16,3168,", ",1,3168,", 1))
    with pytest.raises(DataError, match="benchmark_runs.csv: sha256 .* is not the vendored"):
        epoch_hub.load(folder)


def test_the_committed_snapshot_maps_epoch_versions_to_catalog_ids_and_keeps_the_rest_counted():
    cat = catalog.load()
    eci = cat.scores[cat.scores["metric"] == epoch_hub.ECI_METRIC]
    assert eci["model_id"].nunique() >= 150 and eci["score"].between(0, 300).all()
    # a name that moved: claude-3-5-sonnet's 20241022 version scores from its own release
    sonnet = eci[eci["model_id"] == "claude-3-5-sonnet"].sort_values("as_of")
    assert sonnet["applies_from"].isna().iloc[0] and str(sonnet["applies_from"].iloc[-1].date()) == "2024-10-22"
    assert (eci["as_of"] > "2026-04-30").any()  # models released after April 2026
    assert cat.manifest["skipped"]["epoch-hub"]  # versions not in the catalog are counted, not dropped silently
    runs = cat.task_runs
    assert set(runs["benchmark"]) == {"gpqa_diamond", "swe_bench_verified"}
    assert runs[runs["benchmark"] == "gpqa_diamond"]["model_id"].nunique() >= 50
    assert cat.manifest["vendored"]["epoch-hub"][0]["sha256"]


def test_a_runs_setting_comes_from_its_config_else_from_the_hub_exports_model_version():
    def header(config):
        return {"status": "success", "eval": {"task": "GPQA Diamond", "model": "openai/o3-2025-04-16", "created": "2025-04-20T00:00:00",
                                               "config": {"epochs": 2}, "model_generate_config": config},
                "results": {"completed_samples": 396, "scores": [{"metrics": {"accuracy": {"value": 0.8}}}]},
                "stats": {"model_usage": {"openai/o3-2025-04-16": {"input_tokens": 1000, "output_tokens": 5000,
                                                                   "total_tokens": 6000}}}}
    rows = epoch_hub.runs_from_headers({"a": header({}), "b": header({"reasoning_effort": "low"})},
                                       {"a": "o3-2025-04-16_high", "b": "o3-2025-04-16_high"})
    assert [(r["run_id"], r["setting"], r["score"], r["samples"]) for r in rows] == [("a", "high", 80.0, 396),
                                                                                     ("b", "low", 80.0, 396)]


def test_the_appendix_lists_the_vendored_files_and_the_summary_counts_the_history_depth():
    import yaml

    from pricewar.data import coverage

    cat = catalog.load()
    files = coverage.vendored_files(cat)
    listed = yaml.safe_load((VENDORED / "vendor.yaml").read_text())["files"]
    assert files["sha256"].tolist() == [f["sha256"][:12] for f in listed]
    summary = coverage.catalog_summary(cat)
    assert summary["models_priced_before_2025-06-01"] >= 90  # issue 21's bar
    seen = summary["packaged_prices_starting_on_an_observation_date"]
    assert 0 < seen["prices"] <= seen["of"] and seen["share_pct"] == round(100 * seen["prices"] / seen["of"], 1)
