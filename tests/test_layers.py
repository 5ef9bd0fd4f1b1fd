"""The package is its flow: data never imports analysis or report, analysis never imports report.

Checked on the source (every import statement, top-level or inside a function), so a lazy
import cannot hide a layer crossing. Notebooks and the CLI may import all three.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from pricewar.data.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "lib" / "pricewar"
# stage -> the stages (and top-level modules) it must never import
FORBIDDEN = {
    "data": ("pricewar.analysis", "pricewar.report", "pricewar.cli"),
    "analysis": ("pricewar.report", "pricewar.cli"),
    "report": ("pricewar.cli",),
}


def imported_modules(source: str, module: str) -> set[str]:
    """Every module an import statement in ``source`` names (relative imports resolved against ``module``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")[: -node.level]
                base = ".".join(parent + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # from pricewar import report
    return found


def crossings(stage: str, files, root: Path = PACKAGE.parent) -> list[str]:
    """'file imports module' for every forbidden import in ``files`` (paths under ``root``/pricewar)."""
    bad = []
    for path in files:
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        for name in imported_modules(path.read_text(), module):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[stage]):
                bad.append(f"{path.relative_to(root)} imports {name}")
    return bad


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_a_stage_imports_only_the_stages_above_it(stage):
    files = sorted((PACKAGE / stage).rglob("*.py"))
    assert files, stage
    assert crossings(stage, files) == []


def test_the_check_sees_lazy_relative_and_package_imports(tmp_path):
    # the test above would pass on an empty rule; show that each spelling of a crossing is caught
    source = ("def f():\n    from pricewar.report import charts\n"
              "from ..analysis import trends\nfrom pricewar import report\nimport pricewar.analysis.tiers\n")
    names = imported_modules(source, "pricewar.data.catalog")
    assert {"pricewar.report", "pricewar.analysis", "pricewar.report", "pricewar.analysis.tiers"} <= names
    probe = tmp_path / "pricewar" / "data" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(source)
    assert len(crossings("data", [probe], root=tmp_path)) >= 4


def test_the_top_package_and_the_stage_packages_import_no_pandas():
    # import pricewar stays fast: the stages' __init__ files import nothing (timed in bench/bench_load.py)
    code = ("import sys, pricewar, pricewar.data, pricewar.analysis, pricewar.report, pricewar.errors, "
            "pricewar.defaults; heavy = {'pandas', 'numpy', 'altair', 'papermill'} & set(sys.modules); "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)
