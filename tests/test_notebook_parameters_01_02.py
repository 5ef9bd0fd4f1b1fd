"""Every declared parameter of notebooks 01 and 02 changes its page (see notebook_pages.py;
a second file so that a second pytest-xdist worker takes these)."""

from __future__ import annotations

import json

import pytest

from notebook_pages import cases, check_parameter, default_page, page


def test_a_notebook_run_twice_with_its_defaults_shows_the_same_page():
    assert page("02-tier-map", {}) == default_page("02-tier-map")


@pytest.mark.parametrize("name,parameter", cases("second"))
def test_changing_a_parameter_changes_the_page(name, parameter, tmp_path):
    check_parameter(name, parameter, tmp_path)


@pytest.mark.parametrize("name", ["01-price-war-origin", "02-tier-map"])
def test_the_capabilities_index_is_a_metric_the_reports_render(name):
    shown = json.dumps(page(name, {"metric": "eci"}))
    assert "Epoch Capabilities Index (ECI)" in shown and "model versions released" in shown


def test_the_2026_frontier_on_the_capabilities_index_has_models_released_after_april_2026():
    from pricewar.analysis import frontier
    from pricewar.data import catalog

    cat = catalog.load()
    front = frontier.pareto_frontier(frontier.scored_prices(cat, "eci"))
    released = front["model_id"].map(dict(zip(cat.models["model_id"], cat.models["release_date"])))
    assert (released > "2026-04-30").sum() >= 2
