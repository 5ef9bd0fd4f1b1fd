"""Known answers for the open-vs-closed library, and the report end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import report_headlines
from notebook_pages import headlines
from pricewar.analysis import openness
from pricewar.data.paths import PROJECT_ROOT


def front(rows):
    return pd.DataFrame(rows, columns=["date", "score", "model_id"]).assign(date=lambda f: pd.to_datetime(f["date"]))


CLOSED = front([("2023-01-01", 40, "c1"), ("2023-07-01", 50, "c2"), ("2024-01-01", 60, "c3"), ("2024-07-01", 70, "c4")])


def copy_later(frontier, months):
    return frontier.assign(date=frontier["date"] + pd.DateOffset(months=months))


def test_an_open_frontier_four_months_behind_has_a_four_month_lag():
    lag = openness.capability_lag(copy_later(CLOSED, 4), CLOSED, bootstrap=200, seed=1)
    assert lag["n"] == 4
    assert lag["mean_months"] == pytest.approx(4.0, abs=0.1)
    assert lag["median_months"] == pytest.approx(4.0, abs=0.1)
    assert lag["ci_low"] == pytest.approx(4.0, abs=0.1) and lag["ci_high"] == pytest.approx(4.0, abs=0.1)
    assert lag["current_months"] == pytest.approx(4.0, abs=0.1)


def test_levels_open_models_never_reached_do_not_count_and_the_bootstrap_is_seeded():
    open_front = front([("2023-03-01", 40, "o1"), ("2024-01-01", 55, "o2")])  # reaches 40 and 50, not 60
    first = openness.capability_lag(open_front, CLOSED, bootstrap=500, seed=7)
    again = openness.capability_lag(open_front, CLOSED, bootstrap=500, seed=7)
    assert first["n"] == 2 and (first["ci_low"], first["ci_high"]) == (again["ci_low"], again["ci_high"])
    assert first["levels"]["closed_model"].tolist() == ["c1", "c2"]


def test_vertical_gap_in_points():
    gap = openness.vertical_gap(copy_later(CLOSED, 4), CLOSED, ["2023-08-01"])
    assert gap["gap_points"].tolist() == [10]  # closed at 50, open still at 40


def test_size_from_name():
    assert openness.size_from_name("qwen3.5-9b") == 9.0
    assert openness.size_from_name("qwen3-235b-a22b") == 235.0
    assert openness.size_from_name("llama-3.1-8b") == 8.0
    assert np.isnan(openness.size_from_name("deepseek-chat"))


class TwoModels:
    """A closed model, and an API name that served a closed version before an open-weights one took it."""
    def __init__(self):
        self.prices = pd.DataFrame({
            "model_id": ["closed", "renamed", "renamed"], "host": ["a", "b", "b"],
            "input_usd_per_mtok": [10.0, 1.0, 1.0], "output_usd_per_mtok": [10.0, 1.0, 1.0],
            "start_date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-07-01"]),
            "end_date": pd.to_datetime([None, "2024-07-01", None]),
            "version_id": ["closed", "renamed-v1", "renamed-v2"]})
        self.scores = pd.DataFrame({
            "model_id": ["closed", "renamed-v1", "renamed-v2"], "metric": "gpqa_diamond", "score": [50, 50, 60],
            "as_of": pd.to_datetime(["2024-01-01"] * 3), "applies_from": pd.NaT})
        self.models = pd.DataFrame({"model_id": ["closed", "renamed", "renamed-v1", "renamed-v2"],
                                    "creator": ["a", "b", "b", "b"], "open_weights": [False, True, False, True]})

    def resolve(self, name):
        return name


def test_the_closed_premium_counts_an_open_name_only_from_its_open_version():
    table = openness.closed_premium(TwoModels(), "gpqa_diamond", 45, ["2024-03-01", "2024-09-01"])
    # in March the name still served its closed first version: no open model clears the bar yet
    assert table["open_model_id"].fillna("-").tolist() == ["-", "renamed"]
    assert table["premium_ratio"].iloc[1] == pytest.approx(10.0)


NOTEBOOK = PROJECT_ROOT / "notebooks" / "04-open-vs-closed.ipynb"


def run_report(parameters):
    return {k: h["value"] for k, h in headlines(NOTEBOOK.stem, parameters).items()}


def test_default_numbers_are_pinned(full_run):
    assert {k: h["value"] for k, h in report_headlines(full_run, "04-open-vs-closed").items()} == {"lag_months": 7.9, "closed_premium_gpt4": 3.67, "frontier_open_share": 33.3}


def test_another_metric_gives_other_numbers():
    values = run_report({"metric": "mmlu", "window_months": 36})
    assert values != {"lag_months": 7.9, "closed_premium_gpt4": 3.67, "frontier_open_share": 33.3}
