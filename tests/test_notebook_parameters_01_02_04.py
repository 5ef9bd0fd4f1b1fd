"""Every declared parameter of notebooks 01, 02 and 04 changes its page (see notebook_pages.py;
a second file so that a second pytest-xdist worker takes these)."""

from __future__ import annotations

import pytest

from notebook_pages import ROOT, cases, check_parameter, default_page, page


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # notebooks name data/ paths from the project root, as a run does


def test_a_notebook_run_twice_with_its_defaults_shows_the_same_page():
    assert page("02-tier-map", {}) == default_page("02-tier-map")


@pytest.mark.parametrize("name,parameter", cases("second"))
def test_changing_a_parameter_changes_the_page(name, parameter, tmp_path):
    check_parameter(name, parameter, tmp_path)
