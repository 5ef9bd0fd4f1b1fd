"""Helpers for the parameter tests (tests/test_notebook_parameters*.py): every declared
parameter of every notebook changes what its page shows.

Each notebook runs in-process (an IPython shell, no kernel: the imports and the catalog stay warm
between runs; the report tests read recorded numbers the same way, ``headlines``) once with its defaults and once per parameter with that parameter changed; the
pages' outputs (Markdown, tables, charts, recorded headlines) must differ from the defaults'. A
parameter that changes nothing is dead: remove it, or make it do what its comment says. A new
parameter fails ``test_every_parameter_has_a_variant`` until it gets a variant here.
The cases are split over two test files so that two pytest-xdist workers share them.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

# notebook -> parameter -> a value other than the default that the page must show
VARIANTS = {
    "00-executive-summary": {
        "blend_ratio": 1.0, "metric": "mmlu", "threshold": "gpt-4o-2024-05-13", "start": "2024-06-01",
    },
    "01-price-war-origin": {
        "start": "2024-06-01", "end": "2025-12-31", "blend_ratio": 1.0, "min_cut_pct": 60.0, "metric": "mmlu",
        "thresholds": ["gpt-4-0314"], "creators": ["openai", "google"], "task_benchmarks": ["swe_bench_verified"],
    },
    "02-tier-map": {
        "as_of": "2025-06-01", "blend_ratio": 1.0, "metric": "swe_bench_verified", "tier_mode": "natural",
        "tier_thresholds": [20.0, 5.0], "include_reasoning": False, "label_top": 5, "show_unscored": False,
        "history_start": "2024-04-01",
    },
    "03-startup-strategy": {
        "as_of": "2025-06-01", "requests_per_month": 20_000, "input_tokens": 500, "output_tokens": 2000,
        "cached_share": 0.5, "batch_share": 0.5, "capability_floor_model": "gpt-4-0314", "metric": "mmlu",
        "routes": {"gpt-4o-mini": 0.5, "deepseek-chat": 0.5}, "gpu_usd_per_hour": 1.5, "tokens_per_second": 20000.0,
        "utilization": 0.9, "self_host_model": "gpt-oss-120b", "usage_log": "SYNTH",
        "weights": {"capability": 1, "cost": 0, "risk": 0},
    },
    "04-open-vs-closed": {
        "metric": "mmlu", "start": "2024-06-01", "as_of": "2025-06-01", "window_months": 6, "bootstrap": 200,
        "seed": 1, "blend_ratio": 1.0, "premium_threshold": "gpt-4o-2024-05-13",
    },
    "90-data-sources": {"top_creators": 5, "conflicts_shown": 3},
}
# parameters whose variants need a second snapshot: the runner's tests run them on two snapshots
# (tests/test_weekly.py: a run against another snapshot and its previous run's)
ELSEWHERE = {"snapshot", "previous_snapshot"}


def _declared(name: str) -> dict:
    """The parameters cell's names and default values."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values = {}
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.AnnAssign):
            values[node.target.id] = ast.literal_eval(node.value)
    return values


_SHELL = None


def _shell():
    global _SHELL
    if _SHELL is None:
        from IPython.core.interactiveshell import InteractiveShell

        _SHELL = InteractiveShell.instance()
        _SHELL.display_formatter.active_types = list(_SHELL.display_formatter.format_types)
    return _SHELL


def _outputs(name: str, overrides: dict) -> list[list[dict]]:
    """The notebook's display bundles, cell by cell, run in-process from the project root with
    ``overrides`` applied after the parameters cell, as papermill injects them."""
    import contextlib
    import gc

    from IPython.utils.capture import capture_output

    shell = _shell()
    shell.reset(new_session=False)
    gc.freeze()  # as the runner's reused kernel does: what survived the reset's collection stays out of later ones
    outputs = []
    with contextlib.chdir(ROOT):  # notebooks name data/ paths from the project root, as a run does
        for cell in nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells:
            if cell.cell_type != "code":
                continue
            with capture_output(display=True) as captured:
                result = shell.run_cell(cell.source, store_history=False)
            if "parameters" in cell.metadata.get("tags", []):
                shell.user_ns.update(overrides)
            if not result.success:
                raise AssertionError(f"{name} with {overrides}: {result.error_in_exec or result.error_before_exec!r}")
            bundles = [o.data for o in captured.outputs]
            if result.result is not None:
                bundles.append(shell.display_formatter.format(result.result)[0])
            outputs.append(bundles)
    return outputs


def page(name: str, overrides: dict) -> list:
    """The notebook's outputs, cell by cell (every display's MIME bundle as JSON, text/plain aside)."""
    return [[json.dumps({k: v for k, v in b.items() if k != "text/plain"}, sort_keys=True, default=str) for b in cell]
            for cell in _outputs(name, overrides)]


def headlines(name: str, overrides: dict) -> dict:
    """The headlines the notebook records (``record``) with ``overrides``: key -> headline."""
    from pricewar.report.record import HEADLINE_MIME

    return {b[HEADLINE_MIME]["key"]: b[HEADLINE_MIME] for cell in _outputs(name, overrides) for b in cell
            if HEADLINE_MIME in b}


_DEFAULTS: dict = {}


def default_page(name: str) -> list:
    if name not in _DEFAULTS:
        _DEFAULTS[name] = page(name, {})
    return _DEFAULTS[name]


def check_parameter(name: str, parameter: str, tmp_path: Path) -> None:
    """Fail unless setting ``parameter`` to its variant changes ``name``'s page."""
    value = VARIANTS[name][parameter]
    if value == "SYNTH":  # a usage log of one's own
        from pricewar.analysis import usage

        value = str(usage.write_log(usage.synth_log(2000, seed=7), tmp_path / "log.parquet"))
    changed = page(name, {parameter: value})
    assert changed != default_page(name), f"{name}: {parameter}={value!r} changed nothing on the page"


# the notebooks each parameter-test file runs (two files: two pytest-xdist workers share the cases)
SHARES = {"first": ["00-executive-summary", "03-startup-strategy", "04-open-vs-closed", "90-data-sources"],
          "second": ["01-price-war-origin", "02-tier-map"]}


def cases(share: str) -> list[tuple[str, str]]:
    """(notebook, parameter) for every declared parameter of the share's notebooks."""
    return [(n, p) for n in SHARES[share] for p in VARIANTS[n]]
