"""The executive summary end to end: its six numbers are pinned, and it leads the run's index."""

from __future__ import annotations

from conftest import report_headlines


def test_six_numbers_pinned_and_no_previous_snapshot_said(full_run):
    headlines = report_headlines(full_run, "00-executive-summary")
    values = {key: h["value"] for key, h in headlines.items()}
    assert values == {"gpt4_level_price_now": 0.015, "decline_per_year": 5.49, "task_cost_decline": 5.24, "premium_floor": 2.499,
                      "open_lag_months": 7.9, "largest_recent_cut_pct": -18.8}
    labels = {key: h["label"] for key, h in headlines.items()}
    assert labels["largest_recent_cut_pct"] == "largest list-price cut (a repricing), last 90 days"  # its scope
    # every tile that rests on a capability score names its metric
    assert all("GPQA Diamond" in labels[k] for k in ("gpt4_level_price_now", "decline_per_year", "task_cost_decline",
                                                     "open_lag_months"))
    page = (full_run / "00-executive-summary.html").read_text()
    assert "There is no snapshot before 2026-11-28" in page
    index = (full_run / "index.html").read_text()
    assert index.index("executive summary") < index.index("Data sources: what the catalog holds")
