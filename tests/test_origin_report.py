"""The origin report (notebooks/01) end to end: default headline numbers pinned, parameters respected."""

from __future__ import annotations

import pytest

from conftest import report_headlines
from notebook_pages import headlines
from pricewar.data.paths import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "01-price-war-origin.ipynb"


def run_origin(parameters: dict) -> dict:
    return headlines(NOTEBOOK.stem, parameters)


@pytest.fixture(scope="module")
def default_headlines(full_run):
    return report_headlines(full_run, "01-price-war-origin")


def test_default_headline_numbers_are_pinned_to_the_committed_snapshot(default_headlines):
    # A change in data/ or in the method moves these: update them only on purpose.
    values = {key: h["value"] for key, h in default_headlines.items()}
    assert values == {"decline_per_year": 5.49, "gpt4_level_price_start": 37.5, "gpt4_level_price_now": 0.015,
                      "task_cost_decline": 5.24,
                      "largest_cut_pct": -80.0}
    assert "90% CI 3.5–8.6× per year, 13 price changes" in default_headlines["decline_per_year"]["comparison"]
    assert default_headlines["largest_cut_pct"]["label"] == "largest list-price cut (a repricing), since 2023-03-01"


def test_parameters_change_the_recorded_numbers(default_headlines):
    other = run_origin({"thresholds": ["claude-3-5-sonnet-20240620"], "blend_ratio": 1.0,
                                  "start": "2024-06-01", "min_cut_pct": 50.0})
    assert other["gpt4_level_price_start"]["value"] == 9.0  # claude-3-5-sonnet at (3 + 15) / 2
    from pricewar.data import catalog

    name = catalog.load().display_name("claude-3-5-sonnet-20240620")  # the bar's display name, not its id
    assert name in other["decline_per_year"]["label"] and "claude-3-5" not in other["decline_per_year"]["label"]
    assert other["decline_per_year"]["value"] != default_headlines["decline_per_year"]["value"]
    assert other["largest_cut_pct"]["value"] <= -50.0
