"""The table presenter, display names and headline units: what an executive reads instead of a DataFrame."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pricewar.report import charts, tables
from pricewar.report.record import with_unit


def cells(markup: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", markup)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for row in rows]


def test_headers_are_words_with_units_and_never_ids():
    assert tables.header("input_usd_per_mtok") == "Input, $ per 1M tokens"
    assert tables.header("old_blended_usd_per_mtok") == "Old blended, $ per 1M tokens"
    assert tables.header("share_of_spend_covered_pct") == "Share of spend covered, %"
    assert tables.header("pct_change") == "Change, %"
    assert tables.header("lag_months") == "Lag, months"
    for column in ["kept_output_usd_per_mtok", "first-party", "best_small_score", "first_party_or_archive_pct"]:
        assert "_" not in tables.header(column)


@pytest.mark.parametrize("value, kind, text", [
    (0.015, "money", "$0.015"), (37.5, "money", "$37.50"), (9174.0, "money", "$9,174"),
    (0.0000375, "money", "$<0.0001"), (5.485989, "number", "5.49"), (-90.0, "signed_pct", "−90%"),
    (12.34, "signed_pct", "+12.3%"), (652.3, "times", "652×"), (0.35, "fraction", "35%"),
    (float("nan"), "money", "—"), (None, "text", "—"), (pd.Timestamp("2024-09-17"), "date", "2024-09-17"),
    (True, "bool", "yes"), (1234567, "number", "1,234,567"),
])
def test_numbers_are_formatted_by_kind(value, kind, text):
    assert tables.format_cell(value, kind) == text


def test_a_table_has_no_index_links_sources_by_host_and_escapes_everything():
    frame = pd.DataFrame({"model_id": ["<b>x</b>"], "blended_usd_per_mtok": [5.721844], "pct_change": [-90.0],
                          "source_url": ["https://www.example.org/a/very/long/path?q=1"],
                          "date": [pd.Timestamp("2024-09-17")]}, index=[1130])
    markup = tables.show(frame).markup
    head, row = cells(markup)
    assert head == ["Model", "Blended price, $ per 1M tokens", "Change, %", "Source", "Date"]
    assert row[0] == "&lt;b&gt;x&lt;/b&gt;" and row[1] == "$5.72" and row[2] == "−90%" and row[4] == "2024-09-17"
    assert '<a href="https://www.example.org/a/very/long/path?q=1"' in markup and ">example.org</a>" in markup
    assert "1130" not in markup and "<b>" not in markup


def test_an_empty_table_is_a_sentence():
    assert tables.show(pd.DataFrame({"a": []}), empty="Nothing changed.").markup == '<p class="pw-empty">Nothing changed.</p>'
    assert "No rows" not in tables.show(None, empty="No rows here.").markup.replace("No rows here.", "")


def test_model_ids_become_display_names_with_the_id_in_a_tooltip(fixture_catalog):
    markup = tables.show(pd.DataFrame({"model_id": ["gpt-4o-2024-05-13"], "score": [51.0]}), cat=fixture_catalog).markup
    name = fixture_catalog.display_name("gpt-4o-2024-05-13")
    assert name != "gpt-4o-2024-05-13"
    assert f'title="gpt-4o-2024-05-13">{name}</td>' in markup
    kept = tables.show(pd.DataFrame({"model_id": ["gpt-4o-2024-05-13"]}), cat=fixture_catalog, ids=True).markup
    assert ">gpt-4o-2024-05-13</td>" in kept  # the appendix keeps ids


def test_a_list_of_model_ids_is_shown_as_display_names(fixture_catalog):
    # the tier summary's "a few names" column once showed raw ids
    markup = tables.show(pd.DataFrame({"tier": ["mid"], "examples": ["gpt-4o-2024-05-13, o3"]}), cat=fixture_catalog).markup
    names = f"{fixture_catalog.display_name('gpt-4o-2024-05-13')}, {fixture_catalog.display_name('o3')}"
    assert f'title="gpt-4o-2024-05-13, o3">{names}</td>' in markup and "gpt-4o-2024-05-13" not in names
    twice = tables.show(pd.DataFrame({"examples": ["o3, o3"]}), cat=fixture_catalog).markup
    assert f">{fixture_catalog.display_name('o3')}</td>" in twice  # one name, not "O3, O3"


def test_a_model_without_a_name_is_its_id_in_words(fixture_catalog):
    from pricewar.data.catalog import _id_in_words

    assert _id_in_words("claude-mythos-5-1") == "Claude Mythos 5.1"
    assert _id_in_words("gpt-5.6-sol") == "GPT-5.6 Sol"
    assert _id_in_words("qwen3-vl-30b-a3b") == "Qwen3 VL 30B A3B"
    assert fixture_catalog.display_name("no-such-model") == "no-such-model"


def test_a_headline_says_its_unit_once():
    assert with_unit(0.015, "USD per 1M tokens") == "$0.015 per 1M tokens"
    assert with_unit(97.0, "USD") == "$97"
    assert with_unit(5.486, "× per year") == "5.49× per year"
    assert with_unit(33.3, "%") == "33.3%"
    assert with_unit(9174.0, "million tokens a month") == "9,174 million tokens a month"
    assert with_unit(None, "%") == "n/a"


def test_tier_map_labels_never_overlap_and_point_away_from_the_right_edge():
    points = pd.DataFrame({"blended_usd_per_mtok": [1, 1.05, 1.1, 50, 60, 0.1],
                           "score": [90, 89.5, 89, 88, 60, 30],
                           "model_id": ["model-a", "model-b", "model-c", "model-d", "model-e", "model-f"]})
    placed = charts.label_positions(points, label_top=10, width=640, height=420)
    assert "model-a" in set(placed["model_id"]) and "model-b" not in set(placed["model_id"])  # b would sit on a
    assert placed.set_index("model_id").at["model-d", "align"] == "right"
    assert len(charts.label_positions(points, label_top=2)) == 2


def test_every_time_axis_shows_the_year():
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2025-06-01"]), "blended_usd_per_mtok": [1.0, 0.5],
                          "threshold": ["a", "a"], "model_id": ["x", "y"], "host": ["h", "h"]})
    spec = charts.price_steps(frame, "threshold", "A finding", "a source").to_dict()
    assert spec["encoding"]["x"]["axis"]["format"] == charts.TIME_FORMAT and "%Y" in charts.TIME_FORMAT
