"""Conventions every notebook under notebooks/ keeps (the README's Reports section): checked, not hoped for."""

from __future__ import annotations

import ast
import re

import nbformat
import papermill
import pytest
import yaml

from pricewar.data.paths import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
ASSIGNMENT = re.compile(r"^(\w+)\s*(:[^=]+)?=")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_whose_every_parameter_papermill_can_read(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = [m.group(1) for line in tagged[0].source.splitlines() if (m := ASSIGNMENT.match(line))]
    # papermill skips lines it cannot parse (e.g. `str | None`, or a '=' in the comment): a skipped
    # parameter would then be rejected as unknown by `pricewar run`
    assert list(papermill.inspect_notebook(str(path))) == assigned
    assert all("#" in line for line in tagged[0].source.splitlines() if ASSIGNMENT.match(line)), "every parameter has a comment"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_thin_and_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "strip outputs before committing"
            assert not re.search(r"^\s*(def|class) ", cell.source, re.M), "computations belong in lib/pricewar"
    assert nb.metadata["kernelspec"]["name"] == "pricewar"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_chart_is_its_cells_last_expression(path):
    # charts.show returns the chart for display: anywhere but last in its cell, nothing is shown
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and "charts.show(" in cell.source:
            last = ast.parse(cell.source).body[-1]
            assert ast.unparse(last).startswith("charts.show("), f"cell {cell.get('id')}: charts.show is not last"
            assert cell.source.count("charts.show(") == 1, f"cell {cell.get('id')}: one chart per cell"


def test_every_notebook_is_in_the_report_manifest():
    manifest = yaml.safe_load((PROJECT_ROOT / "reports.yaml").read_text())
    listed = {(PROJECT_ROOT / entry["notebook"]).resolve() for entry in manifest}
    assert set(NOTEBOOKS) <= listed
