"""Every declared parameter of notebooks 00, 03, 04 and 90 changes its page (see notebook_pages.py);
the declarations themselves and the reproducibility the comparison rests on are checked here."""

from __future__ import annotations

import json

import pytest

from notebook_pages import ELSEWHERE, NOTEBOOKS, SHARES, VARIANTS, _declared, cases, check_parameter, default_page, page


def test_every_notebook_is_in_one_share_of_the_parameter_tests():
    notebooks = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert sorted(VARIANTS) == notebooks
    assert sorted(SHARES["first"] + SHARES["second"]) == notebooks


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_parameter_has_a_variant(name):
    declared = set(_declared(name))
    assert declared - ELSEWHERE == set(VARIANTS[name]), "every parameter needs a variant (or a reason) here"
    for parameter, value in VARIANTS[name].items():
        assert value != _declared(name)[parameter], f"{name}: the variant of {parameter} is its default"


def test_a_notebook_run_twice_with_its_defaults_shows_the_same_page():
    # the comparison in check_parameter means something only if a page is reproducible
    assert page("90-data-sources", {}) == default_page("90-data-sources")


@pytest.mark.parametrize("name,parameter", cases("first"))
def test_changing_a_parameter_changes_the_page(name, parameter, tmp_path):
    check_parameter(name, parameter, tmp_path)


@pytest.mark.parametrize("name", ["00-executive-summary", "03-startup-strategy", "04-open-vs-closed"])
def test_the_capabilities_index_is_a_metric_these_reports_render(name):
    assert "Epoch Capabilities Index (ECI)" in json.dumps(page(name, {"metric": "eci"}))
