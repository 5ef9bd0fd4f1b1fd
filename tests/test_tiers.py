"""Known answers for tiers and the frontier, and the tier-map report end to end."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import report_headlines
from notebook_pages import headlines
from pricewar.analysis import frontier, tiers
from pricewar.data.paths import PROJECT_ROOT


def test_frontier_of_a_hand_made_set():
    df = pd.DataFrame({"model_id": ["cheap-weak", "cheap-good", "mid-better", "pricey-worse", "pricey-best", "unscored"],
                       "blended_usd_per_mtok": [0.1, 0.2, 1.0, 5.0, 20.0, 0.01],
                       "score": [20.0, 50.0, 60.0, 55.0, 90.0, None]})
    assert frontier.pareto_frontier(df)["model_id"].tolist() == ["cheap-weak", "cheap-good", "mid-better", "pricey-best"]


def test_a_model_cut_from_30_to_8_moves_from_premium_to_entry():
    before, _ = tiers.assign_tiers(pd.DataFrame({"blended_usd_per_mtok": [30.0]}))
    after, used = tiers.assign_tiers(pd.DataFrame({"blended_usd_per_mtok": [8.0]}))
    assert (before["tier"].iloc[0], after["tier"].iloc[0], used) == ("premium", "entry", [30.0, 10.0])
    mid, _ = tiers.assign_tiers(pd.DataFrame({"blended_usd_per_mtok": [10.0, 9.99]}))
    assert mid["tier"].tolist() == ["mid", "entry"]  # a floor belongs to its tier


def test_natural_breaks_find_clear_clusters():
    prices = pd.Series([0.1, 0.12, 0.11, 2.0, 2.2, 1.9, 40.0, 45.0, 50.0])
    assert tiers.natural_breaks(prices) == [40.0, 1.9]
    df, used = tiers.assign_tiers(pd.DataFrame({"blended_usd_per_mtok": prices}), mode="natural")
    assert df["tier"].value_counts().to_dict() == {"premium": 3, "mid": 3, "entry": 3}


def test_bad_tier_settings_are_refused():
    with pytest.raises(ValueError, match="tier mode"):
        tiers.assign_tiers(pd.DataFrame({"blended_usd_per_mtok": [1.0]}), mode="quantile")
    with pytest.raises(ValueError, match="high then low"):
        tiers.assign_tiers(pd.DataFrame({"blended_usd_per_mtok": [1.0]}), thresholds=[10.0, 30.0])


NOTEBOOK = PROJECT_ROOT / "notebooks" / "02-tier-map.ipynb"


def run_map(parameters: dict) -> dict:
    return {k: h["value"] for k, h in headlines(NOTEBOOK.stem, parameters).items()}


def test_default_tier_map_numbers_are_pinned(full_run):
    assert {k: h["value"] for k, h in report_headlines(full_run, "02-tier-map").items()} == {"frontier_models": 6, "frontier_open_share": 33.3,
                                     "natural_premium_floor": 2.499, "natural_mid_floor": 0.362}


def test_natural_mode_in_2024_differs_sensibly():
    values = run_map({"tier_mode": "natural", "as_of": "2024-06-01"})
    assert values["frontier_models"] < 9  # fewer scored models were on sale then
    assert values["natural_premium_floor"] > values["natural_mid_floor"] > 0


def test_a_moving_name_and_the_version_it_serves_are_one_point_on_the_map():
    from pricewar.analysis import frontier
    from pricewar.data import catalog
    from pricewar.data.paths import PROJECT_ROOT

    cat = catalog.load("latest", root=PROJECT_ROOT / "data" / "snapshots")
    market = frontier.scored_prices(cat, "gpqa_diamond", "2024-06-01")
    ids = set(market["model_id"])
    assert "gpt-4o-2024-05-13" in ids and "gpt-4o" not in ids  # gpt-4o served gpt-4o-2024-05-13 that day
    assert market["version_id"].is_unique


def test_a_tier_move_is_a_price_change_only_when_the_host_is_the_same():
    class Days:  # prices_on as the catalog's: one row per model, the host it was priced at
        def prices_on(self, day, ratio=3.0):
            early = day < pd.Timestamp("2025-04-01")
            return pd.DataFrame({"model_id": ["same", "median", "moved"],
                                 "host": ["x", "median of 2" if early else "median of 3", "x" if early else "y"],
                                 "blended_usd_per_mtok": [30.0 if early else 8.0] * 3})
    _, moves = tiers.tier_history(Days(), "2025-01-01", "2025-07-01")
    assert dict(zip(moves["model_id"], moves["cause"])) == {"same": "price change", "median": "other hosts",
                                                             "moved": "other hosts"}
