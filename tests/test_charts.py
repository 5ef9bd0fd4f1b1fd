"""Charts draw their marks: rendered to SVG offline with vl-convert, as the report pages are."""

from __future__ import annotations

import re

import pandas as pd
import vl_convert as vlc

from pricewar.report import charts


def bar_widths(chart) -> list[float]:
    """Width in pixels of each horizontal bar of a rendered chart, top to bottom."""
    svg = vlc.vegalite_to_svg(charts._spec(chart))
    paths = re.findall(r'<path[^>]*aria-roledescription="bar"[^>]*d="M[-\d.]+,[-\d.]+h([-\d.]+)', svg)
    return [float(width) for width in paths]


def test_cost_bars_on_a_log_axis_are_drawn_and_grow_with_the_cost():
    costs = pd.DataFrame({"model_id": ["cheap", "mid", "dear"], "host": ["h", "h", "h"],
                          "monthly_cost_usd": [155.0, 2_000.0, 117_000.0], "score": [70, 80, 90]})
    widths = bar_widths(charts.cost_bars(costs, "finding", "source"))
    assert len(widths) == 3
    assert 0 < widths[0] < widths[1] < widths[2]


def test_cost_bars_take_any_category_column():
    options = pd.DataFrame({"option": ["all premium", "the mix"], "routes": ["100% a", "20% a + 80% b"],
                            "monthly_cost_usd": [117_000.0, 23_524.0], "score": [94.6, 76.1]})
    widths = bar_widths(charts.cost_bars(options, "finding", "source", category="option"))
    assert len(widths) == 2 and widths[0] > widths[1] > 0


def test_the_eci_source_line_says_whose_index_and_which_releases_it_covers():
    from pricewar.data import catalog

    line = charts.source_line(catalog.load(), "eci")
    assert "Epoch Capabilities Index (ECI): Epoch AI (CC BY 4.0), model versions released 2023-03-14 to 2026-06-16" in line
