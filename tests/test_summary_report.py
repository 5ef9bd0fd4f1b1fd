"""The executive summary end to end: its six numbers are pinned, and it leads the run's index."""

from __future__ import annotations

import json

from pricewar.report import runner
from pricewar.data.paths import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "00-executive-summary.ipynb"


def test_six_numbers_pinned_and_no_previous_snapshot_said(tmp_path):
    manifest = tmp_path / "reports.yaml"
    manifest.write_text(f"- name: 00-executive-summary\n  notebook: {NOTEBOOK}\n  title: Summary\n"
                        f"- name: 90-data-sources\n  notebook: {PROJECT_ROOT / 'notebooks/90-data-sources.ipynb'}\n"
                        f"  title: Sources\n")
    assert runner.run(manifest=manifest, out=tmp_path / "out", quiet=True) == 0
    folder = (tmp_path / "out" / "latest").resolve()
    run = json.loads((folder / "run.json").read_text())
    values = {h["key"]: h["value"] for h in run["reports"][0]["headlines"]}
    assert values == {"gpt4_level_price_now": 0.015, "decline_per_year": 5.49, "task_cost_decline": 5.24, "premium_floor": 2.499,
                      "open_lag_months": 7.9, "largest_recent_cut_pct": -18.8}
    labels = {h["key"]: h["label"] for h in run["reports"][0]["headlines"]}
    assert labels["largest_recent_cut_pct"] == "largest list-price cut (a repricing), last 90 days"  # its scope
    # every tile that rests on a capability score names its metric
    assert all("GPQA Diamond" in labels[k] for k in ("gpt4_level_price_now", "decline_per_year", "task_cost_decline",
                                                     "open_lag_months"))
    page = (folder / "00-executive-summary.html").read_text()
    assert "There is no snapshot before 2026-11-28" in page
    index = (folder / "index.html").read_text()
    assert index.index("Summary") < index.index("Sources")
