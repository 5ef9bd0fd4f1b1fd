"""Known-answer tests of the price-trend library."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from pricewar.analysis import trends


def halving_every_six_months(noise: float = 0.0, n: int = 13, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.to_datetime("2023-01-01") + pd.to_timedelta(np.arange(n) * 365.25 / 4, unit="D")
    years = np.arange(n) / 4
    price = 100 * 2 ** (-years / 0.5) * 10 ** (noise * rng.standard_normal(n))
    return pd.DataFrame({"date": dates, "blended_usd_per_mtok": price})


def test_halving_every_six_months_is_four_times_per_year():
    fit = trends.fit_decline_rate(halving_every_six_months())
    assert fit["factor_per_year"] == pytest.approx(4.0, rel=1e-6)
    assert fit["ci_low"] == pytest.approx(4.0, rel=1e-6) and fit["ci_high"] == pytest.approx(4.0, rel=1e-6)
    assert fit["r2"] == pytest.approx(1.0) and fit["n"] == 13


def test_confidence_interval_widens_with_noise():
    widths = []
    for noise in (0.05, 0.2, 0.5):
        fit = trends.fit_decline_rate(halving_every_six_months(noise=noise))
        assert fit["ci_low"] < fit["factor_per_year"] < fit["ci_high"]
        widths.append(np.log(fit["ci_high"] / fit["ci_low"]))
    assert widths[0] < widths[1] < widths[2]


def test_fit_needs_three_points():
    with pytest.raises(ValueError, match="at least 3"):
        trends.fit_decline_rate(halving_every_six_months(n=2))


def prices(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["model_id", "host", "start_date", "end_date", "input_usd_per_mtok",
                                        "output_usd_per_mtok"])
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame.assign(source="curated", source_url="https://example.org/", note="")


def test_a_seventy_percent_cut_is_detected_as_seventy_percent():
    frame = prices([
        ("m", "x", "2024-01-01", "2024-06-01", 10.0, 30.0),
        ("m", "x", "2024-06-01", None, 3.0, 9.0),     # -70 %
        ("n", "x", "2024-01-01", "2024-03-01", 1.0, 1.0),
        ("n", "x", "2024-03-01", None, 1.1, 1.1),     # +10 %, an increase
    ])
    cuts = trends.detect_price_cuts(frame, min_cut_pct=0)
    assert cuts["pct_change"].round(6).tolist() == [-70.0, 10.0]
    assert cuts["kind"].tolist() == ["cut", "increase"]
    assert cuts.iloc[0]["old_blended_usd_per_mtok"] == 15.0 and cuts.iloc[0]["new_blended_usd_per_mtok"] == 4.5
    assert trends.detect_price_cuts(frame, min_cut_pct=20)["model_id"].tolist() == ["m"]


def test_a_cached_price_change_alone_is_not_a_list_price_change():
    frame = prices([("m", "x", "2024-01-01", "2024-06-01", 10.0, 30.0), ("m", "x", "2024-06-01", None, 10.0, 30.0)])
    assert trends.detect_price_cuts(frame).empty


class FakeCatalog:
    def __init__(self, price_rows, score_rows, snapshot_date="2026-01-01"):
        self.snapshot_date = dt.date.fromisoformat(snapshot_date)
        self.prices = prices(price_rows)
        self.scores = pd.DataFrame(score_rows, columns=["model_id", "metric", "score", "as_of", "applies_from"])
        for column in ("as_of", "applies_from"):
            self.scores[column] = pd.to_datetime(self.scores[column])
        self.models = pd.DataFrame({"model_id": sorted(set(self.prices["model_id"])), "creator": "c"})

    def resolve(self, name):
        return name


def test_an_announced_end_after_the_snapshot_is_not_an_observation_yet():
    cat = FakeCatalog([("m", "c", "2025-01-01", "2026-03-01", 10.0, 10.0), ("n", "c", "2025-01-01", None, 20.0, 20.0)],
                      [("m", "gpqa_diamond", 50, "2025-01-01", None), ("n", "gpqa_diamond", 50, "2025-01-01", None)],
                      snapshot_date="2026-01-15")  # m's end on 2026-03-01 is announced
    series = trends.cheapest_at_or_above(cat, "gpqa_diamond", 40)
    assert series["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-01"]


def test_cheapest_at_or_above_follows_price_changes_and_launches():
    cat = FakeCatalog(
        [("big", "c", "2023-01-01", "2024-01-01", 30.0, 60.0), ("big", "c", "2024-01-01", None, 10.0, 20.0),
         ("small", "c", "2023-06-01", None, 0.1, 0.1), ("good", "c", "2023-09-01", None, 5.0, 5.0)],
        [("big", "gpqa_diamond", 40, "2023-01-01", None), ("small", "gpqa_diamond", 20, "2023-06-01", None),
         ("good", "gpqa_diamond", 45, "2023-09-01", None)])
    series = trends.cheapest_at_or_above(cat, "gpqa_diamond", "big")
    assert series[["date", "model_id", "blended_usd_per_mtok"]].astype(str).values.tolist() == [
        ["2023-01-01", "big", "37.5"], ["2023-09-01", "good", "5.0"], ["2024-01-01", "good", "5.0"]]
    # the small model is cheaper but below the bar: never chosen
    assert "small" not in set(series["model_id"])


def test_a_closed_model_counts_at_its_creators_price_an_open_one_at_its_cheapest_host():
    cat = FakeCatalog(
        [("closed", "c", "2023-01-01", None, 10.0, 10.0), ("closed", "reseller", "2023-01-01", None, 1.0, 1.0),
         ("open", "c", "2023-01-01", None, 8.0, 8.0), ("open", "host", "2023-01-01", None, 4.0, 4.0)],
        [("closed", "gpqa_diamond", 50, "2023-01-01", None), ("open", "gpqa_diamond", 50, "2023-01-01", None)])
    cat.models["open_weights"] = cat.models["model_id"] == "open"
    series = trends.cheapest_at_or_above(cat, "gpqa_diamond", 40, dates=["2023-06-01"])
    assert series[["model_id", "host", "blended_usd_per_mtok"]].values.tolist() == [["open", "host", 4.0]]
    closed = trends.cheapest_at_or_above(cat, "gpqa_diamond", 40, dates=["2023-06-01"], models={"closed"})
    assert closed[["host", "blended_usd_per_mtok"]].values.tolist() == [["c", 10.0]]  # not the reseller's 1.0


def test_a_score_applies_only_from_the_day_its_version_took_the_name():
    cat = FakeCatalog(
        [("alias", "c", "2023-01-01", None, 1.0, 1.0), ("ref", "c", "2023-01-01", None, 30.0, 30.0)],
        [("ref", "gpqa_diamond", 40, "2023-01-01", None),
         ("alias", "gpqa_diamond", 20, "2023-01-01", None),           # the old version: below the bar
         ("alias", "gpqa_diamond", 60, "2024-05-01", "2024-05-01")])  # the new version, from May 2024
    series = trends.cheapest_at_or_above(cat, "gpqa_diamond", "ref", dates=["2023-06-01", "2024-06-01"])
    assert series["model_id"].tolist() == ["ref", "alias"]
    assert trends.latest_scores(cat.scores, "gpqa_diamond")["alias"] == 60


def test_a_retired_flagship_does_not_hand_over_to_an_older_model():
    cat = FakeCatalog(
        [("old", "c", "2023-01-01", None, 1.0, 1.0), ("new", "c", "2024-01-01", "2025-01-01", 10.0, 10.0)],
        [("old", "gpqa_diamond", 40, "2023-01-01", None), ("new", "gpqa_diamond", 70, "2024-01-01", None)])
    cat.models["release_date"] = pd.to_datetime(cat.models["model_id"].map({"old": "2023-01-01", "new": "2024-01-01"}))
    flagships = trends.flagship_prices(cat, ["c"], "gpqa_diamond", ["2023-06-01", "2024-06-01", "2025-06-01"])
    # in 2025 only the older, weaker model is on sale: the flagship is unknown, not "old" at a tenth of the price
    assert flagships[["date", "model_id"]].astype(str).values.tolist() == [["2023-06-01", "old"], ["2024-06-01", "new"]]
    change = trends.flagship_change(flagships).iloc[0]
    assert (change["last_model"], str(change["last_date"].date())) == ("new", "2024-06-01")


def test_decompose_fall_separates_repricing_from_new_models():
    series = pd.DataFrame({"date": pd.to_datetime(["2023-01-01", "2023-06-01", "2024-01-01"]),
                           "model_id": ["a", "a", "b"], "blended_usd_per_mtok": [100.0, 10.0, 1.0]})
    launch = prices([("a", "x", "2023-01-01", "2023-06-01", 100, 100), ("a", "x", "2023-06-01", None, 10, 10),
                     ("b", "x", "2024-01-01", None, 1, 1)])
    parts = trends.decompose_fall(series, launch).set_index("cause")
    assert parts.loc["repricing", "factor"] == pytest.approx(10.0)
    assert parts.loc["new model", "factor"] == pytest.approx(10.0)
    assert parts["share_pct"].sum() == pytest.approx(100.0)


def test_a_model_first_seen_on_an_observation_date_is_not_counted_as_a_launch():
    series = pd.DataFrame({"date": pd.to_datetime(["2023-01-01", "2024-01-01", "2025-01-01"]),
                           "model_id": ["a", "b", "c"], "blended_usd_per_mtok": [100.0, 10.0, 1.0]})
    launch = prices([("a", "x", "2023-01-01", None, 100, 100), ("b", "x", "2024-01-01", None, 10, 10),
                     ("c", "x", "2025-01-01", None, 1, 1)]).assign(observed_from=[False, False, True])
    parts = trends.decompose_fall(series, launch).set_index("cause")
    assert parts.loc["new model", "drops"] == 1 and parts.loc["new model", "factor"] == pytest.approx(10.0)
    assert parts.loc["first observed", "drops"] == 1 and parts.loc["first observed", "factor"] == pytest.approx(10.0)
    assert parts.loc["repricing", "drops"] == 0


def test_a_score_that_goes_down_stops_clearing_the_bar():
    cat = FakeCatalog(
        [("alias", "c", "2023-01-01", None, 1.0, 1.0), ("ref", "c", "2023-01-01", None, 30.0, 30.0)],
        [("ref", "gpqa_diamond", 40, "2023-01-01", None),
         ("alias", "gpqa_diamond", 60, "2023-01-01", None),           # first version clears the bar
         ("alias", "gpqa_diamond", 20, "2024-05-01", "2024-05-01")])  # the new version does not
    series = trends.cheapest_at_or_above(cat, "gpqa_diamond", "ref", start="2023-01-01")
    assert series[["date", "model_id"]].astype(str).values.tolist() == [["2023-01-01", "alias"],
                                                                          ["2024-05-01", "ref"]]


def test_the_price_in_force_on_the_first_day_is_the_first_point():
    cat = FakeCatalog([("m", "c", "2023-01-01", None, 10.0, 10.0)], [("m", "gpqa_diamond", 50, "2023-01-01", None)])
    series = trends.cheapest_at_or_above(cat, "gpqa_diamond", 40, start="2023-06-01")
    assert series["date"].astype(str).tolist() == ["2023-06-01"]


def test_a_gap_in_the_data_is_not_a_price_change():
    frame = prices([("m", "x", "2024-01-01", "2024-03-01", 10.0, 30.0), ("m", "x", "2024-06-01", None, 3.0, 9.0)])
    assert trends.detect_price_cuts(frame).empty


def test_the_decline_by_period_shows_its_shape():
    curve = pd.DataFrame({"date": pd.to_datetime(["2023-01-01", "2024-01-01", "2025-01-01", "2026-01-01"]),
                          "blended_usd_per_mtok": [100.0, 50.0, 25.0, 12.5]})
    table = trends.decline_by_period(curve, [("whole", "2023-01-01", "2026-01-01"), ("late", "2024-01-01", "2026-01-01"),
                                             ("carried in", "2024-06-01", "2025-06-01"), ("short", "2025-06-01", "2026-01-01")])
    rates = dict(zip(table["period"], table["factor_per_year"]))
    assert rates["whole"] == pytest.approx(2.0, rel=1e-3) and rates["late"] == pytest.approx(2.0, rel=1e-3)
    # the window starts with the price in force on its first day (50 on 2024-06-01), then 25
    carried = table.set_index("period").loc["carried in"]
    assert carried["n"] == 2 and "at least 3" in carried["note"]
    assert math.isnan(rates["short"])


def _cheapest_by_cross_join(cat, metric, threshold, ratio=3.0, start=None):
    """The former implementation (every date × every price row), kept as the known answer."""
    from pricewar.data import pricing
    from pricewar.defaults import SCORE_TOLERANCE

    bar = trends.threshold_score(cat, metric, threshold)
    periods = trends.score_periods(cat.scores, metric)
    periods = periods[periods["model_id"].isin(periods.loc[periods["score"] >= bar - SCORE_TOLERANCE, "model_id"])]
    prices = pricing.with_versions(cat.prices)
    prices = pricing.as_bought(prices[prices["version_id"].isin(periods["model_id"])], cat.models).copy()
    prices["blended_usd_per_mtok"] = pricing.blended_price(prices["input_usd_per_mtok"], prices["output_usd_per_mtok"], ratio)
    events = pd.concat([prices["start_date"], prices["end_date"].dropna(),
                        periods.loc[periods["applies_from"] > trends._EARLIEST, "applies_from"]]
                       + ([pd.Series([pd.Timestamp(start)])] if start else []))
    dates = pd.Series(pd.to_datetime(list(events.drop_duplicates().sort_values()))).drop_duplicates().sort_values(ignore_index=True)
    dates = dates[(dates >= pd.Timestamp(start or "1900-01-01")) & (dates <= pd.Timestamp(cat.snapshot_date))]
    grid = pd.DataFrame({"date": dates}).merge(prices, how="cross")
    live = trends.with_scores(pricing.in_force(grid, grid["date"]), periods)
    live = live[live["score"] >= bar - SCORE_TOLERANCE]
    best = live.sort_values(["date", "blended_usd_per_mtok", "model_id", "host"]).groupby("date").head(1)
    return best[["date", "model_id", "host", "blended_usd_per_mtok", "score", "version_id"]].reset_index(drop=True)


@pytest.mark.parametrize("threshold, start", [("gpt-4-0314", "2023-03-01"), ("gpt-4o-2024-05-13", None),
                                              ("claude-3-5-sonnet-20240620", "2024-06-01"), (80.0, None), (30.0, None)])
def test_the_sweep_gives_the_same_cheapest_series_as_the_cross_join(threshold, start):
    from pricewar.data import catalog
    from pricewar.data.paths import PROJECT_ROOT

    cat = catalog.load("latest", root=PROJECT_ROOT / "data" / "snapshots")
    new = trends.cheapest_at_or_above(cat, "gpqa_diamond", threshold, start=start)
    old = _cheapest_by_cross_join(cat, "gpqa_diamond", threshold, start=start)
    assert len(new) > 10
    pd.testing.assert_frame_equal(new.astype(old.dtypes.to_dict()), old, check_exact=False)


def test_the_first_row_of_a_nullable_series_is_a_change():
    series = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
                           "v": pd.array([3.0, 3.0, 1.0], dtype="Float64")})
    assert trends.price_changes_only(series, "v")["date"].dt.month.tolist() == [1, 3]


def test_a_published_rate_is_compared_on_its_own_window_where_we_have_one():
    anchors = pd.DataFrame([
        {"who": "A", "finding": "f", "value_low": 40.0, "value_high": 40.0, "unit": "x per year", "url": "https://a",
         "published": pd.Timestamp("2025-03-12"), "differs_because": "their window ends at publication"},
        {"who": "B", "finding": "g", "value_low": 10.0, "value_high": 10.0, "unit": "x per year", "url": "https://b",
         "published": None, "differs_because": None}])
    whole = {"factor_per_year": 5.0, "ci_low": 3.0, "ci_high": 8.0}
    periods = pd.DataFrame([{"period": "to A's study", "from_date": pd.Timestamp("2023-03-14"),
                             "to_date": pd.Timestamp("2025-03-12"), "factor_per_year": 50.0, "ci_low": 20.0, "ci_high": 90.0}])
    out = trends.compare_with_anchors(whole, anchors, periods)
    assert out["ours_their_window"].iloc[0] == 50.0 and out["agrees"].iloc[0] == "within our 90% CI on their window"
    assert pd.isna(out["ours_their_window"].iloc[1]) and out["agrees"].iloc[1] == "outside our 90% CI"
    assert out["differs_because"].tolist() == ["their window ends at publication", ""]
