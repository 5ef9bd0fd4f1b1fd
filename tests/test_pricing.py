"""The rules of a price, each written once (pricewar.data.pricing): in force, blended, changes, buying policies."""

from __future__ import annotations

import pandas as pd
import pytest

from pricewar.data import pricing

T = pd.Timestamp


def intervals(*rows) -> pd.DataFrame:
    """(model_id, host, start, end or None, input, output) rows as a typed price table."""
    frame = pd.DataFrame(rows, columns=["model_id", "host", "start_date", "end_date", "input_usd_per_mtok",
                                        "output_usd_per_mtok"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    return frame.assign(cached_input_usd_per_mtok=float("nan"), source="curated", source_url="https://x.org/",
                        note="")


PRICES = intervals(("m", "a", "2025-01-01", "2025-02-01", 4.0, 8.0),
                   ("m", "a", "2025-02-01", None, 2.0, 8.0))


@pytest.mark.parametrize("day, expected", [
    ("2024-12-31", []), ("2025-01-01", [4.0]), ("2025-01-31", [4.0]),
    ("2025-02-01", [2.0]),  # the end date is exclusive: the new price starts that day
    ("2030-01-01", [2.0]),  # no end date: in force until further notice
])
def test_in_force_starts_on_its_start_date_and_ends_the_day_before_its_end_date(day, expected):
    assert pricing.in_force(PRICES, T(day))["input_usd_per_mtok"].tolist() == expected


def test_in_force_with_a_column_of_days_checks_each_row_on_its_own_day():
    grid = PRICES.assign(date=[T("2025-01-15"), T("2025-01-15")])
    assert pricing.in_force_mask(grid, grid["date"]).tolist() == [True, False]


def test_blended_price_weights_input_three_to_one():
    assert pricing.blended_price(30.0, 60.0) == 37.5
    assert pricing.blended_price(30.0, 60.0, ratio=1.0) == 45.0
    assert pricing.blended_price(pd.Series([2.0]), pd.Series([8.0]), ratio=0.0).tolist() == [8.0]
    with pytest.raises(ValueError):
        pricing.blended_price(1.0, 1.0, ratio=-1)


def test_a_price_change_is_a_contiguous_interval_with_another_price():
    gap = intervals(("n", "a", "2025-01-01", "2025-01-10", 1.0, 1.0), ("n", "a", "2025-03-01", None, 0.5, 0.5))
    changes = pricing.price_changes(pd.concat([PRICES, gap], ignore_index=True))
    assert changes[["model_id", "date", "kind"]].values.tolist() == [["m", T("2025-02-01"), "cut"]]
    assert changes["pct_change"].iloc[0] == pytest.approx(100 * ((3 * 2 + 8) / 4 / ((3 * 4 + 8) / 4) - 1))


MODELS = pd.DataFrame({"model_id": ["closed", "open"], "creator": ["acme", "meta"], "name": ["Closed", "Open"],
                       "open_weights": [False, True], "reasoning": [False, False],
                       "release_date": [T("2025-01-01"), T("2025-01-01")]})
HOSTED = intervals(("closed", "acme", "2025-01-01", None, 10.0, 10.0),
                   ("closed", "reseller", "2025-01-01", None, 1.0, 1.0),
                   ("open", "x", "2025-01-01", None, 1.0, 1.0),
                   ("open", "y", "2025-01-01", "2025-06-01", 3.0, 3.0),
                   ("open", "z", "2025-01-01", None, 5.0, 5.0))


def test_policy_1_the_creators_price_else_the_median_of_the_hosts():
    table = pricing.creator_else_median(HOSTED, MODELS, T("2025-03-01")).set_index("model_id")
    assert (table.at["closed", "host"], table.at["closed", "blended_usd_per_mtok"]) == ("acme", 10.0)
    assert (table.at["open", "host"], table.at["open", "blended_usd_per_mtok"]) == ("median of 3", 3.0)
    later = pricing.creator_else_median(HOSTED, MODELS, T("2025-07-01")).set_index("model_id")
    assert later.at["open", "host"] == "median of 2"
    # one host is that host's price, with its source, not a "median of 1"
    only_x = pricing.creator_else_median(HOSTED[HOSTED["host"].isin(["acme", "x"])], MODELS, T("2025-03-01"))
    assert only_x.set_index("model_id").loc["open", ["host", "source_url"]].tolist() == ["x", "https://x.org/"]


def test_policy_2_one_timeline_the_creators_else_the_longest_priced_host():
    timeline = pricing.reference_timeline(HOSTED, MODELS, "2026-01-01")
    assert sorted(map(tuple, timeline[["model_id", "host"]].values.tolist())) == [("closed", "acme"), ("open", "x")]


def test_policy_3_a_closed_model_at_its_creators_price_an_open_one_at_any_host():
    bought = pricing.as_bought(HOSTED, MODELS)
    assert sorted(map(tuple, bought[["model_id", "host"]].values.tolist())) == [
        ("closed", "acme"), ("open", "x"), ("open", "y"), ("open", "z")]
    creator_only = pricing.as_bought(HOSTED, MODELS, open_at_any_host=False)
    assert set(creator_only["model_id"]) == {"closed", "open"}  # open has no creator API: every host stays
