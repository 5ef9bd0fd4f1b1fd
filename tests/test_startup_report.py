"""The startup-strategy report end to end: pinned default numbers, and a user-supplied usage log."""

from __future__ import annotations

from conftest import report_headlines
from notebook_pages import headlines
from pricewar.analysis import usage
from pricewar.data.paths import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "03-startup-strategy.ipynb"


def run_report(parameters):
    return {k: h["value"] for k, h in headlines(NOTEBOOK.stem, parameters).items()}


def test_default_numbers_are_pinned(full_run):
    assert {k: h["value"] for k, h in report_headlines(full_run, "03-startup-strategy").items()} == {"cheapest_above_floor_usd_month": 97.0, "best_mix_savings_pct": 99.7,
                                        "break_even_mtok_month": 9174.0}


def test_a_user_log_and_workload_change_the_numbers(tmp_path):
    log = usage.write_log(usage.synth_log(400, seed=11), tmp_path / "mine.csv")
    values = run_report({"usage_log": str(log), "requests_per_month": 10000, "input_tokens": 500,
                                   "output_tokens": 100, "gpu_usd_per_hour": 2.0, "tokens_per_second": 2000.0})
    assert values["cheapest_above_floor_usd_month"] < 97.0
    assert values["break_even_mtok_month"] != 9174.0
