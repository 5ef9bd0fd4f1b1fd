"""The price of a task: known answers on a small catalog, and the committed snapshot's coverage."""

from __future__ import annotations

import pandas as pd
import pytest

from pricewar.analysis import tasks, trends
from pricewar.data import catalog


def test_one_million_input_and_two_million_output_tokens_at_1_and_4_usd_cost_9_usd():
    tokens = {"input_tokens": 1_000_000, "cached_input_tokens": 0, "output_tokens": 2_000_000}
    assert tasks.run_cost_usd(tokens, 1.0, 4.0) == pytest.approx(9.0)
    # cached input at the cached price where one is stated, else at the input price
    cached = {**tokens, "cached_input_tokens": 1_000_000}
    assert tasks.run_cost_usd(cached, 1.0, 4.0, 0.1) == pytest.approx(9.1)
    assert tasks.run_cost_usd(cached, 1.0, 4.0) == pytest.approx(10.0)


@pytest.fixture(scope="module")
def cat():
    return catalog.load()


def test_a_price_change_between_two_dates_changes_the_cost_per_task_by_the_price_ratio(cat):
    # o3's list price was cut on 2025-06-10 (10/40 -> 2/8 USD per 1M tokens): the same run costs 5x less
    before = tasks.cost_per_task(cat, "gpqa_diamond", "o3", "2025-05-01")
    after = tasks.cost_per_task(cat, "gpqa_diamond", "o3", "2025-07-01")
    assert before["tokens"] == after["tokens"] and before["run_id"] == after["run_id"]
    assert (before["price"]["input_usd_per_mtok"], before["price"]["output_usd_per_mtok"]) == (10.0, 40.0)
    assert (after["price"]["input_usd_per_mtok"], after["price"]["output_usd_per_mtok"]) == (2.0, 8.0)
    uncached = {**after["tokens"], "cached_input_tokens": 0}
    assert tasks.run_cost_usd(uncached, 10.0, 40.0) / tasks.run_cost_usd(uncached, 2.0, 8.0) == pytest.approx(5.0)
    assert before["usd_per_task"] > after["usd_per_task"]


def test_a_task_is_one_question_of_the_models_best_scoring_run(cat):
    runs = cat.task_runs[(cat.task_runs["benchmark"] == "gpqa_diamond") & (cat.task_runs["model_id"] == "claude-3-7-sonnet")]
    assert len(runs) > 1  # several runs, several settings
    best = runs.sort_values(["score", "started"]).iloc[-1]
    tokens = tasks.run_tokens(cat, "gpqa_diamond").set_index("model_id").loc["claude-3-7-sonnet"]
    assert tokens["run_id"] == best["run_id"]
    assert tokens["output_tokens"] == pytest.approx(best["output_tokens"] / best["samples"])


def test_the_committed_snapshot_prices_a_task_for_at_least_50_versions_and_both_declines_have_a_ci(cat):
    days = trends.month_starts("2024-01-01", cat.snapshot_date)
    costs = tasks.task_costs(cat, "gpqa_diamond", days)
    assert costs["version_id"].nunique() >= 50
    per_task = tasks.cheapest_task_cost(cat, "gpqa_diamond", "gpqa_diamond", "gpt-4-0314", days)
    per_token = trends.cheapest_at_or_above(cat, "gpqa_diamond", "gpt-4-0314", dates=days)
    side = tasks.decline_side_by_side(per_token, per_task).set_index("measure")
    assert (side["ci_low"] <= side["factor_per_year"]).all() and (side["factor_per_year"] <= side["ci_high"]).all()
    assert (per_task["score"] >= trends.threshold_score(cat, "gpqa_diamond", "gpt-4-0314")).all()


def test_a_model_without_token_counts_says_so(cat):
    with pytest.raises(KeyError, match="no gpqa_diamond run with token counts"):
        tasks.cost_per_task(cat, "gpqa_diamond", "gpt-4o-mini-search-preview")


def test_the_tokens_follow_the_version_a_name_served_that_day(cat):
    # claude-3-5-sonnet served the 20240620 version, then from 2024-10-22 the 20241022 one
    runs = cat.task_runs[(cat.task_runs["model_id"] == "claude-3-5-sonnet") & (cat.task_runs["benchmark"] == "gpqa_diamond")]
    version_of = dict(zip(runs["run_id"], runs["epoch_model"]))
    summer = tasks.cost_per_task(cat, "gpqa_diamond", "claude-3-5-sonnet", "2024-08-01")
    winter = tasks.cost_per_task(cat, "gpqa_diamond", "claude-3-5-sonnet", "2025-01-01")
    assert version_of[summer["run_id"]] == "claude-3-5-sonnet-20240620"
    assert version_of[winter["run_id"]] == "claude-3-5-sonnet-20241022"


def test_the_frames_are_per_thousand_tasks_and_agree_with_one_task(cat):
    one = tasks.cost_per_task(cat, "gpqa_diamond", "gpt-4o-mini", "2025-01-01")
    frame = tasks.task_costs(cat, "gpqa_diamond", ["2025-01-01"])
    row = frame[(frame["model_id"] == "gpt-4o-mini") & (frame["host"] == "openai")].iloc[0]
    assert row["usd_per_1k_tasks"] == pytest.approx(1000 * one["usd_per_task"])


def test_todays_table_prices_a_task_for_at_least_50_model_versions_cheapest_first(cat):
    table = tasks.task_cost_table(cat, "gpqa_diamond", "gpqa_diamond")
    assert len(table) >= 50 and table["model_id"].is_unique
    assert table["usd_per_1k_tasks"].is_monotonic_increasing


def test_a_benchmark_too_thin_for_a_fit_keeps_its_rows_and_says_why(cat):
    days = trends.month_starts("2026-10-01", cat.snapshot_date)  # two months: too few changes
    side = tasks.declines_by_benchmark(cat, ["gpqa_diamond"], "gpqa_diamond", "gpt-4-0314", days, 3.0)
    assert len(side) == 2 and side["factor_per_year"].isna().all()
    assert side["note"].str.contains("at least 3 observations").all()


def test_a_summary_window_too_short_for_a_task_rate_says_so_instead_of_failing(cat):
    from pricewar.analysis import headlines

    tiles = headlines.headline_numbers(cat, start="2026-08-01").set_index("key")
    assert pd.isna(tiles.at["task_cost_decline", "value"])
    assert tiles.at["task_cost_decline", "comparison"].startswith("no rate: a decline rate needs at least 3")
