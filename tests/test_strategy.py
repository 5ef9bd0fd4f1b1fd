"""Known answers for workload costs, mixes, self-hosting and the decision matrix (fixture snapshot)."""

from __future__ import annotations

import pytest

from pricewar.analysis import strategy


def test_workload_cost_known_answer(fixture_catalog):
    w = strategy.Workload(requests_per_month=1000, input_tokens=1000, output_tokens=1000)
    costs = strategy.workload_cost(fixture_catalog, w, as_of="2025-07-01").set_index("model_id")
    assert costs.at["o3", "monthly_cost_usd"] == pytest.approx(1 * 2.0 + 1 * 8.0)  # 1M in, 1M out
    assert costs.at["gpt-4o", "monthly_cost_usd"] == pytest.approx(2.5 + 10.0)


def test_cached_share_uses_the_cached_price_where_listed(fixture_catalog):
    w = strategy.Workload(1000, 1000, 0, cached_share=0.5)
    costs = strategy.workload_cost(fixture_catalog, w, as_of="2025-07-01").set_index("model_id")
    assert costs.at["o3", "monthly_cost_usd"] == pytest.approx(0.5 * 2.0 + 0.5 * 0.5)
    assert costs.at["gpt-4o-2024-05-13", "cache_basis"] == "no cached price listed: input price"


def test_hybrid_mix_against_all_premium(fixture_catalog):
    w = strategy.Workload(1000, 1000, 1000)
    mix = strategy.hybrid_mix(fixture_catalog, {"o3": 0.2, "gpt-4o": 0.8}, w, as_of="2025-07-01")
    assert mix["premium_model"] == "gpt-4o"  # 12.5 a month against o3's 10
    assert mix["mix_cost_usd"] == pytest.approx(0.2 * 10 + 0.8 * 12.5)
    assert mix["mix_score"] == pytest.approx(0.2 * 80 + 0.8 * 50)
    parts = mix["parts"].set_index("model_id")
    assert parts.at["o3", "all_traffic_monthly_cost_usd"] == pytest.approx(10)
    assert parts.at["o3", "share_monthly_cost_usd"] == pytest.approx(0.2 * 10)
    options = strategy.mix_options(mix, {"routes": {"o3": 1.0}, "monthly_cost_usd": 10.0, "score": 80.0})
    assert options[["routes", "monthly_cost_usd"]].values.tolist() == [
        ["100% gpt-4o", 12.5], ["20% o3 + 80% gpt-4o", pytest.approx(12.0)], ["100% o3", 10.0]]
    with pytest.raises(ValueError, match="sum to 1"):
        strategy.hybrid_mix(fixture_catalog, {"o3": 0.5}, w, as_of="2025-07-01")


def test_best_mix_reaches_the_floor_at_least_cost(fixture_catalog):
    w = strategy.Workload(1000, 1000, 1000)
    best = strategy.best_mix(fixture_catalog, w, floor_score=60, as_of="2025-07-01")
    assert best["routes"] == {"o3": 1.0}  # o3 (80) is also the cheapest scored model here
    with pytest.raises(ValueError, match="no model or mix"):
        strategy.best_mix(fixture_catalog, w, floor_score=99, as_of="2025-07-01")


def test_no_mix_or_ranking_sends_traffic_to_a_model_below_the_floor(fixture_catalog):
    """The floor holds for every model that gets traffic, not for a share-weighted average."""
    w = strategy.Workload(1000, 1000, 1000)
    costs = strategy.workload_cost(fixture_catalog, w, "2025-07-01").dropna(subset=["score"]).set_index("model_id")
    for floor in sorted(costs["score"].unique()):
        best = strategy.best_mix(fixture_catalog, w, floor_score=floor, as_of="2025-07-01")
        assert all(costs.at[m, "score"] >= floor for m in best["routes"]), (floor, best)
        capable = costs[costs["score"] >= floor]
        assert best["monthly_cost_usd"] == pytest.approx(capable["monthly_cost_usd"].min())
        ranked = strategy.decision_matrix(fixture_catalog, {"capability": 1, "cost": 1, "risk": 1}, as_of="2025-07-01",
                                          floor_score=floor, workload=w)
        assert (ranked["score"] >= floor).all() and set(ranked["model_id"]) == set(capable.index)
        assert (ranked["monthly_cost_usd"] == ranked["model_id"].map(costs["monthly_cost_usd"])).all()


def test_self_hosting_known_answers():
    # $3.60 an hour for 1,000 tokens/s at full use: 3.6M tokens an hour, so $1 per 1M tokens
    assert strategy.self_host_cost(3.6, 1000, 1.0) == pytest.approx(1.0)
    assert strategy.self_host_cost(3.6, 1000, 0.5) == pytest.approx(2.0)
    be = strategy.break_even_volume(3.6, 1000, hosted_usd_per_mtok=2.0)
    assert be["break_even_tokens_per_month"] == pytest.approx(3.6 * 730 / 2.0 * 1e6)
    assert be["break_even_utilization"] == pytest.approx(0.5) and be["feasible"]
    with pytest.raises(ValueError):
        strategy.self_host_cost(3.6, 1000, 0)


def test_decision_matrix_shows_every_component(fixture_catalog):
    matrix = strategy.decision_matrix(fixture_catalog, {"capability": 1, "cost": 0, "risk": 0}, as_of="2025-07-01")
    assert matrix.iloc[0]["model_id"] == "o3"  # capability only: the best score wins
    assert {"capability", "cost", "stability", "host_diversity", "openness", "risk"} <= set(matrix.columns)
    with pytest.raises(ValueError, match="unknown weight"):
        strategy.decision_matrix(fixture_catalog, {"speed": 1})


def test_list_price_changes_counts_repricings_per_host_not_first_prices():
    import pandas as pd

    rows = pd.DataFrame({
        "model_id": ["a", "a", "a", "a", "b", "b"],
        "host": ["x", "x", "x", "y", "x", "x"],
        "start_date": pd.to_datetime(["2025-03-01", "2025-01-01", "2025-02-01", "2025-01-01", "2025-01-01", "2025-02-01"]),
        # a at x: 3 -> 2 -> 2 (one change, rows out of order); a at y: one price; b at x: unchanged
        "input_usd_per_mtok": [2.0, 3.0, 2.0, 5.0, 1.0, 1.0],
    })
    assert strategy.list_price_changes(rows).to_dict() == {"a": 1, "b": 0}


def test_list_price_changes_matches_the_per_group_count_on_the_committed_snapshot():
    # the former per-(model, host) Python lambda, kept here as the reference answer
    from pricewar.data import catalog

    prices = catalog.load().prices
    reference = (prices.sort_values("start_date", kind="stable").groupby(["model_id", "host"])["input_usd_per_mtok"]
                 .agg(lambda s: int((s.diff().fillna(0) != 0).sum())).groupby("model_id").sum())
    assert strategy.list_price_changes(prices).equals(reference)
    assert reference.sum() > 100


def test_on_the_committed_snapshot_the_cheapest_way_to_the_floor_uses_only_models_above_it():
    # the case: with Claude 3.5 Sonnet's score as the floor, a share-weighted mix once sent
    # a third of the traffic to a model scoring 25
    from pricewar.analysis import trends
    from pricewar.data import catalog
    from pricewar.data.paths import PROJECT_ROOT

    cat = catalog.load("latest", root=PROJECT_ROOT / "data" / "snapshots")
    w = strategy.Workload(1_000_000, 1500, 400)
    floor = trends.threshold_score(cat, "gpqa_diamond", "claude-3-5-sonnet-20240620")
    best = strategy.best_mix(cat, w, floor)
    scores = strategy.workload_cost(cat, w).set_index("model_id")["score"]
    assert list(best["routes"].values()) == [1.0] and scores[next(iter(best["routes"]))] >= floor


def test_utilization_sets_how_many_gpus_a_workload_needs_and_whether_self_hosting_pays():
    w = strategy.Workload(1_000_000, 1500, 400)  # 1.9e9 tokens a month
    busy = strategy.self_host_workload(w, 3.6, 1000, 1.0, hosted_usd_per_mtok=2.0)
    idle = strategy.self_host_workload(w, 3.6, 1000, 0.25, hosted_usd_per_mtok=2.0)
    assert busy["tokens_per_month"] == 1.9e9 and busy["hosted_monthly_usd"] == pytest.approx(3800)
    assert busy["gpus"] == 1 and idle["gpus"] == 3  # 2.63e9 tokens a month per GPU at full use, a quarter of that idle
    assert busy["self_hosted_monthly_usd"] == pytest.approx(3.6 * 730) and busy["self_hosting_pays"]
    assert idle["self_hosted_monthly_usd"] == pytest.approx(3 * 3.6 * 730) and not idle["self_hosting_pays"]
