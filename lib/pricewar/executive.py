"""The executive summary's five numbers, each with its comparison, and its links to the topic reports."""

from __future__ import annotations

import html

import pandas as pd

from pricewar import openness, tiers, trends


def headline_numbers(cat, metric: str = "gpqa_diamond", ratio: float = 3.0, threshold: str = "gpt-4-0314",
                     start: str = "2023-03-01", cut_window_days: int = 90) -> pd.DataFrame:
    """Five tiles: key, label, value, unit, comparison (all computed from ``cat``)."""
    curve = trends.cheapest_by_threshold(cat, metric, [threshold], start=start, ratio=ratio)
    fit = trends.fit_by_threshold(cat, curve, metric).iloc[0]
    breaks = tiers.natural_breaks(cat.prices_on(ratio=ratio)["blended_usd_per_mtok"])
    lag = openness.capability_lag(openness.capability_frontier(cat, metric, True),
                                  openness.capability_frontier(cat, metric, False))
    day = pd.Timestamp(cat.snapshot_date)
    cuts = trends.detect_price_cuts(trends.first_party_prices(cat), min_cut_pct=0, ratio=ratio)
    recent = cuts[(cuts["kind"] == "cut") & (cuts["date"] > day - pd.Timedelta(days=cut_window_days))]
    rows = [
        {"key": "gpt4_level_price_now", "label": f"cheapest {threshold}-level price ({metric})",
         "value": fit["last_usd_per_mtok"], "unit": "USD per 1M tokens",
         "comparison": f"{fit['first_usd_per_mtok']:g} on {fit['first_date'].date()}: "
                       f"{fit['first_usd_per_mtok'] / fit['last_usd_per_mtok']:,.0f}× cheaper"},
        {"key": "decline_per_year", "label": f"price decline at {threshold} level", "value": fit["factor_per_year"],
         "unit": "× per year", "comparison": f"90% CI {fit['ci_low']:.1f}–{fit['ci_high']:.1f}, n={int(fit['n'])}"},
        {"key": "premium_floor", "label": "where the premium tier starts today (natural break)", "value": breaks[0],
         "unit": "USD per 1M tokens", "comparison": f"mid tier from {breaks[1]:.3g}; the article's premium tier: 30"},
        {"key": "open_lag_months", "label": "months open models trail the closed frontier", "value": lag["current_months"],
         "unit": "months", "comparison": f"mean {lag['mean_months']:.1f} over {lag['n']} records "
                                         f"(90% CI {lag['ci_low']:.1f}–{lag['ci_high']:.1f})"},
    ]
    if len(recent):
        top = recent.iloc[0]
        rows.append({"key": "largest_recent_cut_pct", "label": f"largest list-price cut in the last {cut_window_days} days",
                     "value": top["pct_change"], "unit": "%",
                     "comparison": f"{top['model_id']} at {top['host']} on {top['date'].date()}: "
                                   f"{top['old_blended_usd_per_mtok']:.3g} → {top['new_blended_usd_per_mtok']:.3g} USD/1M"})
    else:
        rows.append({"key": "largest_recent_cut_pct", "label": f"largest list-price cut in the last {cut_window_days} days",
                     "value": None, "unit": "%", "comparison": "no first-party list price was cut in that window"})
    return pd.DataFrame(rows)


def topic_reports(manifest_entries: list[dict]) -> dict[str, str]:
    """Topic number ("01") → the HTML page of the first report that runs that notebook."""
    pages = {}
    for entry in manifest_entries:
        topic = entry["notebook"].rsplit("/", 1)[-1][:2]
        pages.setdefault(topic, f"{entry['name']}.html")
    return pages


def scorecard_html(table: pd.DataFrame, pages: dict[str, str]) -> str:
    """The claims table as HTML, each claim linked to its topic report; every data string escaped."""
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(r.verdict)}</td><td>{esc(r.claim)}</td><td>{esc(r.evidence)}</td>"
        f"<td><a href=\"{esc(pages.get(r.topic, ''))}\">{esc(pages.get(r.topic, r.topic))}</a></td></tr>"
        for r in table.itertuples())
    return ("<table class=\"dataframe\"><thead><tr><th>verdict</th><th>claim</th><th>evidence</th>"
            f"<th>report</th></tr></thead><tbody>{rows}</tbody></table>")
