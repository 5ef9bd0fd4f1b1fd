"""The calendar never breaks a refresh: announced prices wait in the snapshot until their day,
ends may be announced, and every refresh error names the curated file and line."""

from __future__ import annotations

import datetime as dt

import pytest

from pricewar import errors
from pricewar.data import catalog, refresh
from test_build import CURATED_PRICES_HEADER, SCORES, fixture_sources

HEADER = CURATED_PRICES_HEADER.rstrip("\n") + ",status\n"


def refresh_on(tmp_path, day: dt.date, prices: str):
    curated = tmp_path / "curated"
    curated.mkdir(exist_ok=True)
    (curated / "prices.csv").write_text(HEADER + prices)
    (curated / "scores.csv").write_text(SCORES)
    folder = refresh.refresh(day, root=tmp_path / "snapshots", curated=curated, sources=fixture_sources(), force=True)
    return catalog.load(folder.name, root=tmp_path / "snapshots")


ROWS = ("o3,openai,2025-04-16,2025-06-10,10,40,2.5,curated,https://example.org/launch,disagrees: fixture,\n"
        "o3,openai,2025-06-10,2026-01-01,2,8,0.5,curated,https://example.org/cut,promotional: through 2025-12-31,\n"
        "o3,openai,2026-01-01,,4,16,1,curated,https://example.org/announce,"
        "disagrees: the packages still show the introductory price,announced\n")


def test_an_announced_price_waits_in_the_snapshot_and_applies_from_its_day(tmp_path):
    before = refresh_on(tmp_path, dt.date(2025, 11, 28), ROWS)
    assert before.price_at("o3")["input_usd_per_mtok"] == 2.0
    assert before.announced[["model_id", "start_date"]].astype(str).values.tolist() == [["o3", "2026-01-01"]]
    assert before.prices["start_date"].max() <= dt.datetime(2025, 11, 28)  # no price starts after the snapshot
    after = refresh_on(tmp_path, dt.date(2026, 1, 15), ROWS)
    assert after.price_at("o3")["input_usd_per_mtok"] == 4.0 and after.announced.empty


def test_a_future_price_without_status_announced_is_refused_at_its_curated_line(tmp_path):
    rows = ROWS.replace(",announced\n", ",\n")
    with pytest.raises(errors.ValidationError) as info:
        refresh_on(tmp_path, dt.date(2025, 11, 28), rows)
    assert ("prices.csv:4: start_date: '2026-01-01' — date after the snapshot date 2025-11-28 "
            "(a price a provider has announced needs status 'announced')") in str(info.value)


def test_an_unexplained_disagreement_names_the_curated_file_not_the_snapshot_being_built(tmp_path):
    rows = "o3,openai,2025-06-10,,2.5,9,0.5,curated,https://example.org/cut,typo?,\n"
    with pytest.raises(errors.ValidationError) as info:
        refresh_on(tmp_path, dt.date(2025, 11, 28), rows)
    message = str(info.value)
    assert "curated/prices.csv:2: note: 'typo?'" in message and ".tmp-" not in message


@pytest.mark.parametrize("day", [dt.date(2026, 12, 1), dt.date(2027, 1, 15)])
def test_the_committed_curated_data_refreshes_on_and_after_its_announced_days(tmp_path, day):
    folder = refresh.refresh(day, root=tmp_path)  # the installed packages and data/curated as committed
    cat = catalog.load(folder.name, root=tmp_path)
    assert cat.price_at("gemini-4-argon")["input_usd_per_mtok"] == 4.0  # introductory 2/10 ended 2026-11-30
