"""Chart builders and display: one theme, titles that state the finding, sources under charts.

``show(chart)`` displays a chart so that it works everywhere without a network:
the output holds a static SVG (rendered in the kernel by vl-convert) and the
Vega-Lite spec. JupyterLab shows the SVG; the HTML reports replace it with an
interactive view (tooltips) from the Vega bundle that ``pricewar.reports``
inlines once per page.
"""

from __future__ import annotations

import html
import json
import math

import altair as alt

__all__ = ["theme", "titled", "chart_html", "show", "stacked_bars", "yearly_bars", "price_steps",
           "cut_timeline", "tier_map", "tier_counts", "frontier_steps", "ratio_line", "cost_bars",
           "sensitivity_lines", "monthly_spend", "FONT"]

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
SPEC_CLASS = "pricewar-vega-spec"


def theme() -> dict:
    """The project's Vega-Lite config: readable on a phone, titles left-aligned."""
    return {
        "config": {
            "font": FONT,
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#555"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#eee"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12},
            "view": {"stroke": None},
        }
    }


def titled(chart: alt.Chart, finding: str, source: str) -> alt.Chart:
    """Set the chart's title (the finding) and a subtitle naming its source."""
    return chart.properties(title=alt.TitleParams(finding, subtitle=[f"Source: {source}"]))


def _spec(chart) -> dict:
    spec = chart.to_dict()
    config = theme()["config"]
    spec["config"] = {**config, **spec.get("config", {})}
    return spec


def chart_html(chart) -> str:
    """HTML for one chart: static SVG plus the spec as JSON (no script, no network)."""
    import vl_convert

    spec = _spec(chart)
    svg = vl_convert.vegalite_to_svg(spec)
    payload = json.dumps(spec, separators=(",", ":")).replace("<", "\\u003c")  # no markup inside <script>
    title = spec.get("title", {})
    label = title.get("text", "") if isinstance(title, dict) else str(title)
    return (f'<figure class="pricewar-chart" role="img" aria-label="{html.escape(label)}">'
            f'<div class="pricewar-static">{svg}</div>'
            f'<script type="application/json" class="{SPEC_CLASS}">{payload}</script></figure>')


class _Displayed:
    """What ``show`` returns: renders as the chart's HTML in any front end."""

    def __init__(self, chart):
        self.chart = chart

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec = _spec(self.chart)
        title = spec.get("title", {})
        label = title.get("text", "chart") if isinstance(title, dict) else str(title)
        return {"text/html": chart_html(self.chart), "text/plain": f"[chart] {label}"}


def show(chart):
    """Display ``chart`` (an ``alt.Chart``) offline-safe; return it as the cell's value."""
    return _Displayed(chart)


def stacked_bars(frame, category: str, parts: dict[str, str], finding: str, source: str,
                 value_title: str) -> alt.Chart:
    """Horizontal bars of ``category``, stacked from the columns in ``parts`` (column → legend label)."""
    long = frame.melt(id_vars=[category], value_vars=list(parts), var_name="part", value_name="value")
    long["part"] = long["part"].map(parts)
    order = list(frame[category])
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        x=alt.X("value:Q", title=value_title, stack="zero"),
        color=alt.Color("part:N", title=None, sort=list(parts.values())),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("part:N"), alt.Tooltip("value:Q")],
    ).properties(width=520)
    return titled(chart, finding, source)


def yearly_bars(frame, year: str, value: str, color: str, finding: str, source: str, value_title: str) -> alt.Chart:
    """Vertical bars per year, coloured by ``color``."""
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X(f"{year}:O", title="Year the price took effect"),
        y=alt.Y(f"{value}:Q", title=value_title),
        color=alt.Color(f"{color}:N", title="Source"),
        tooltip=[f"{year}:O", f"{color}:N", f"{value}:Q"],
    ).properties(width=520)
    return titled(chart, finding, source)


def price_steps(frame, color: str, finding: str, source: str) -> alt.Chart:
    """Step lines of ``blended_usd_per_mtok`` over ``date`` on a log scale, one line per ``color``."""
    chart = alt.Chart(frame).mark_line(interpolate="step-after", point=True).encode(
        x=alt.X("date:T", title="Date"),
        y=alt.Y("blended_usd_per_mtok:Q", title="Blended price (USD per 1M tokens, log scale)",
                scale=alt.Scale(type="log")),
        color=alt.Color(f"{color}:N", title=color.replace("_", " ").capitalize()),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip(f"{color}:N"), alt.Tooltip("model_id:N", title="model"),
                 alt.Tooltip("host:N"), alt.Tooltip("blended_usd_per_mtok:Q", title="USD / 1M tokens", format=".4g")],
    ).properties(width=620, height=320)
    return titled(chart, finding, source)


def cut_timeline(cuts, finding: str, source: str) -> alt.Chart:
    """Each list-price change as a point: date against % change of the blended price."""
    chart = alt.Chart(cuts).mark_circle(opacity=0.75).encode(
        x=alt.X("date:T", title="Date the new price took effect"),
        y=alt.Y("pct_change:Q", title="Change of the blended price (%)"),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["cut", "increase"], range=["#1a7f37", "#c62828"])),
        size=alt.Size("old_blended_usd_per_mtok:Q", title="Old price (USD / 1M)", scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("model_id:N", title="model"), alt.Tooltip("host:N"),
                 alt.Tooltip("old_blended_usd_per_mtok:Q", title="old USD / 1M", format=".4g"),
                 alt.Tooltip("new_blended_usd_per_mtok:Q", title="new USD / 1M", format=".4g"),
                 alt.Tooltip("pct_change:Q", title="change %", format=".1f")],
    ).properties(width=620, height=300)
    return titled(chart, finding, source)


def tier_map(points, frontier, metric: str, label_top: int, finding: str, source: str, unscored=None) -> alt.Chart:
    """Price (log x) against capability (y): colour = open weights, shape = tier, the frontier as a line,
    the ``label_top`` best-scoring models named. ``unscored`` models (same columns, no score) sit in a
    strip under the map at their price, marked "no score", instead of vanishing."""
    data = points.assign(weights=points["open_weights"].map({True: "open weights", False: "closed"}).fillna("not stated"))
    base = alt.Chart(data).encode(
        x=alt.X("blended_usd_per_mtok:Q", title="Blended price (USD per 1M tokens, log scale)", scale=alt.Scale(type="log")),
        y=alt.Y("score:Q", title=f"{metric} score (0–100)"),
    )
    dots = base.mark_point(filled=True, size=70, opacity=0.8).encode(
        color=alt.Color("weights:N", title=None, scale=alt.Scale(domain=["open weights", "closed", "not stated"],
                                                                 range=["#1a7f37", "#3b5bdb", "#999999"])),
        shape=alt.Shape("tier:N", title="Tier", sort=["premium", "mid", "entry"]),
        tooltip=[alt.Tooltip("model_id:N", title="model"), alt.Tooltip("host:N"), alt.Tooltip("tier:N"),
                 alt.Tooltip("blended_usd_per_mtok:Q", title="USD / 1M blended", format=".4g"),
                 alt.Tooltip("input_usd_per_mtok:Q", title="input USD / 1M", format=".4g"),
                 alt.Tooltip("output_usd_per_mtok:Q", title="output USD / 1M", format=".4g"),
                 alt.Tooltip("score:Q"), alt.Tooltip("source:N"), alt.Tooltip("source_url:N", title="source url")],
    )
    line = alt.Chart(frontier).mark_line(color="#d9480f", strokeDash=[4, 3], interpolate="step-after").encode(
        x="blended_usd_per_mtok:Q", y="score:Q")
    labelled = data.sort_values("score", ascending=False).head(label_top)
    labels = alt.Chart(labelled).mark_text(align="left", dx=6, dy=-4, fontSize=10).encode(
        x="blended_usd_per_mtok:Q", y="score:Q", text="model_id:N")
    chart = alt.layer(dots, line, labels).properties(width=640, height=420)
    if unscored is not None and len(unscored):
        strip_data = unscored.assign(
            weights=unscored["open_weights"].map({True: "open weights", False: "closed"}).fillna("not stated"),
            row="no score")
        strip = alt.Chart(strip_data).mark_tick(thickness=2, size=14, opacity=0.7).encode(
            x=alt.X("blended_usd_per_mtok:Q", title="Blended price (USD per 1M tokens, log scale)",
                    scale=alt.Scale(type="log")),
            y=alt.Y("row:N", title=None, axis=alt.Axis(labelFontWeight="bold")),
            color=alt.Color("weights:N", title=None, scale=alt.Scale(domain=["open weights", "closed", "not stated"],
                                                                     range=["#1a7f37", "#3b5bdb", "#999999"])),
            tooltip=[alt.Tooltip("model_id:N", title="model"), alt.Tooltip("host:N"), alt.Tooltip("release_date:T"),
                     alt.Tooltip("blended_usd_per_mtok:Q", title="USD / 1M blended", format=".4g")],
        ).properties(width=640, height=40)
        chart = alt.vconcat(chart, strip).resolve_scale(x="shared")
    return titled(chart, finding, source)


def tier_counts(counts, finding: str, source: str) -> alt.Chart:
    """Stacked bars: how many priced models sat in each tier at each period start."""
    chart = alt.Chart(counts).mark_bar().encode(
        x=alt.X("date:T", title="Quarter"),
        y=alt.Y("models:Q", title="Priced models (count)", stack="zero"),
        color=alt.Color("tier:N", title="Tier", sort=["premium", "mid", "entry"],
                        scale=alt.Scale(domain=["premium", "mid", "entry"], range=["#c92a2a", "#f08c00", "#2f9e44"])),
        tooltip=["date:T", "tier:N", "models:Q"],
    ).properties(width=620, height=280)
    return titled(chart, finding, source)


def frontier_steps(fronts, metric: str, finding: str, source: str) -> alt.Chart:
    """The best open and best closed score over time, as step lines with the record-setting models."""
    chart = alt.Chart(fronts).mark_line(interpolate="step-after", point=True).encode(
        x=alt.X("date:T", title="Date"),
        y=alt.Y("score:Q", title=f"Best {metric} score available (0–100)"),
        color=alt.Color("weights:N", title=None, scale=alt.Scale(domain=["open", "closed"], range=["#1a7f37", "#3b5bdb"])),
        tooltip=["date:T", "weights:N", alt.Tooltip("model_id:N", title="model"), "score:Q"],
    ).properties(width=620, height=320)
    return titled(chart, finding, source)


def ratio_line(frame, value: str, finding: str, value_title: str, source: str, log: bool = True) -> alt.Chart:
    """One quantity per date as a line with points (log scale by default)."""
    scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("date:T", title="Date"), y=alt.Y(f"{value}:Q", title=value_title, scale=scale),
        tooltip=[alt.Tooltip(c) for c in frame.columns if c != "date"] + [alt.Tooltip("date:T")],
    ).properties(width=620, height=260)
    return titled(chart, finding, source)


def cost_bars(costs, finding: str, source: str, value: str = "monthly_cost_usd",
              value_title: str = "Monthly cost (USD, log scale)", category: str = "model_id") -> alt.Chart:
    """Horizontal bars of a cost per ``category`` (a model, or an option), in the frame's order, log scale.

    A log axis has no zero, so the bars start at the power of ten below the smallest cost.
    """
    details = [alt.Tooltip(f"{c}:N") for c in ("host", "routes") if c in costs.columns]
    base = 10 ** math.floor(math.log10(costs[value].min()))
    chart = alt.Chart(costs).mark_bar().encode(
        y=alt.Y(f"{category}:N", sort=list(costs[category]), title=None),
        x=alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(type="log"), stack=None),
        x2=alt.datum(base),
        tooltip=[alt.Tooltip(f"{category}:N"), *details,
                 alt.Tooltip(f"{value}:Q", format=",.2f"), alt.Tooltip("score:Q")],
    ).properties(width=560)
    return titled(chart, finding, source)


def sensitivity_lines(grid, hosted_usd_per_mtok: float, finding: str, source: str) -> alt.Chart:
    """Self-hosted USD per 1M tokens against utilization, one line per GPU price, the hosted price as a rule."""
    lines = alt.Chart(grid).mark_line(point=True).encode(
        x=alt.X("utilization:Q", title="GPU utilization (share of the month busy)", axis=alt.Axis(format="%")),
        y=alt.Y("usd_per_mtok:Q", title="Self-hosted cost (USD per 1M tokens, log scale)", scale=alt.Scale(type="log")),
        color=alt.Color("gpu_price:N", title="GPU price"),
        tooltip=["utilization:Q", "gpu_price:N", alt.Tooltip("usd_per_mtok:Q", format=".3g")],
    )
    rule = alt.Chart(alt.Data(values=[{"hosted": hosted_usd_per_mtok}])).mark_rule(color="#d9480f", strokeDash=[4, 3]).encode(
        y="hosted:Q", tooltip=[alt.Tooltip("hosted:Q", title="hosted USD / 1M", format=".3g")])
    return titled(alt.layer(lines, rule).properties(width=560, height=300), finding, source)


def monthly_spend(by_month_model, finding: str, source: str) -> alt.Chart:
    """Stacked bars of spend per month by model."""
    chart = alt.Chart(by_month_model).mark_bar().encode(
        x=alt.X("month:T", title="Month"), y=alt.Y("cost_usd:Q", title="Spend (USD)", stack="zero"),
        color=alt.Color("model_id:N", title="Model"),
        tooltip=["month:T", alt.Tooltip("model_id:N", title="model"), alt.Tooltip("cost_usd:Q", format=",.2f"),
                 alt.Tooltip("requests:Q", format=",")],
    ).properties(width=620, height=300)
    return titled(chart, finding, source)
