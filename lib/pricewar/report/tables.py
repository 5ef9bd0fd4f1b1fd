"""The one table presenter: every table of a report goes through ``show``.

A table reads like a briefing, not a DataFrame: no index, headers in words with their unit
("Input, $ per 1M tokens"), numbers formatted by kind (money with sensible digits, signed
percentages for changes, multipliers "652×", dates), model ids as display names (the id in a
tooltip), source URLs linked by their host, "—" for a missing value, long text wrapped, a
sticky header, and a box that scrolls sideways on a phone instead of the page. An empty table
is a sentence. Every value is escaped.
"""

from __future__ import annotations

import html
import math
import re
from urllib.parse import urlparse

import pandas as pd

from pricewar.defaults import METRICS

__all__ = ["show", "header", "format_cell", "metric_label", "TableHTML", "STYLE"]

# Headers that the rules below would not get right (column -> words, with the unit).
HEADERS = {
    "model_id": "Model", "version_id": "Version served", "serves": "Serves", "api_name": "API name",
    "host": "Host", "creator": "Creator", "score": "Score", "open_weights": "Weights", "r2": "R²", "n": "n",
    "ci_low": "90% CI, low", "ci_high": "90% CI, high", "url": "Source", "source_url": "Source",
    "other_source_url": "Other source", "blended_usd_per_mtok": "Blended price, $ per 1M tokens",
    "input_usd_per_mtok": "Input, $ per 1M tokens", "output_usd_per_mtok": "Output, $ per 1M tokens",
    "cached_input_usd_per_mtok": "Cached input, $ per 1M tokens", "pct_change": "Change, %",
    "factor_per_year": "Falls per year, ×", "factor": "Factor, ×", "times_cheaper": "Times cheaper, ×",
    "premium_ratio": "Closed ÷ open price, ×", "log10_fall": "Fall, powers of ten",
    "monthly_cost_usd": "Cost per month, $", "cost_usd": "Cost, $", "age_days": "Age, days",
    "lag_months": "Lag, months", "gap_points": "Gap, score points", "threshold_score": "Bar, score",
    "first-party": "First-party", "id": "Id", "who": "Who", "value_low": "Low", "value_high": "High",
    "ours": "Ours", "agrees": "Agrees with ours", "share": "Share of traffic",
    "share_monthly_cost_usd": "Its part of the monthly cost, $", "all_traffic_monthly_cost_usd": "All traffic on it, $ a month",
    "first_model": "First flagship", "last_model": "Latest flagship", "ours_mean": "Our mean",
    "ours_ci_low": "Our 90% CI, low", "ours_ci_high": "Our 90% CI, high", "closed": "Best closed score",
    "open": "Best open score", "closed_model_id": "Cheapest closed model", "open_model_id": "Cheapest open model",
    "closed_model": "Closed record", "cut": "Cuts", "increase": "Increases", "drops": "Steps down",
    "share_pct": "Share of the fall, %", "usd_per_1k_tasks": "Cost per 1,000 tasks, $",
    "ours_their_window": "Ours on their window, ×", "differs_because": "Why the two differ",
    "upstream_url": "Upstream copy", "sha256": "sha256 (first 12)",
    "first_usd_per_1k_tasks": "First flagship, $ per 1,000 tasks",
    "last_usd_per_1k_tasks": "Latest flagship, $ per 1,000 tasks", "output_tokens": "Output tokens per task",
    "times": "Latest ÷ first, ×", "measure": "Measure", "scored": "Scored", "first_party_or_archive_pct": "First-party or archive, %",
}
# Columns that hold model ids: shown as display names when the table is given a catalog.
MODEL_COLUMNS = {"model_id", "version_id", "serves", "closed_model_id", "open_model_id", "best_small", "best_large",
                 "first_model", "last_model", "closed_model", "premium_model", "alternative", "threshold"}
# Columns holding a comma-separated list of model ids ("a few names" of a group).
MODEL_LIST_COLUMNS = {"examples"}
_UNITS = [("_usd_per_mtok", ", $ per 1M tokens"), ("_usd_month", ", $ per month"), ("_usd", ", $"),
          ("_pct", ", %"), ("_months", ", months"), ("_days", ", days"), ("_tokens", ", tokens")]
STYLE = (".pw-table{max-width:100%;overflow:auto;margin:.6rem 0 1rem;-webkit-overflow-scrolling:touch}"
         ".pw-table.pw-long{max-height:34rem}"
         ".pw-table table{border-collapse:collapse;font:13px/1.35 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;"
         "min-width:60%}"
         ".pw-table table th{position:sticky;top:0;z-index:1;background:#f6f6f6;text-align:left;font-weight:600;"
         "padding:.35rem .5rem;border-bottom:1px solid #ccc;vertical-align:bottom;white-space:normal;min-width:4rem;"
         "text-align:left!important}"
         ".pw-table table td{padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top;text-align:left!important;"
         "overflow-wrap:break-word;word-break:normal;white-space:normal}"
         ".pw-table table td.num{text-align:right!important;white-space:nowrap;font-variant-numeric:tabular-nums}"
         ".pw-table table td.date{white-space:nowrap}.pw-table table td.text{min-width:14rem;max-width:32rem}"
         ".pw-empty{color:#555;font-style:italic}"
         # on a phone, narrower cells: a five-column table fits 390 px without scrolling
         "@media (max-width:480px){.pw-table table th{min-width:3rem}"
         ".pw-table table th,.pw-table table td{padding:.3rem .35rem}}")


def metric_label(metric: str) -> str:
    """A metric's name for readers ("GPQA Diamond, % correct"); the id when it is not declared."""
    return METRICS.get(metric, metric)


def header(column: str) -> str:
    """A column's header in words, with its unit: ``old_blended_usd_per_mtok`` → "Old blended, $ per 1M tokens"."""
    if column in HEADERS:
        return HEADERS[column]
    if column in METRICS:  # a count or score per metric: the metric's name
        return METRICS[column].split(",")[0]
    words, unit = str(column), ""
    for suffix, text in _UNITS:
        if words.endswith(suffix) or words == suffix.lstrip("_"):
            words, unit = words[: -len(suffix)] if words != suffix.lstrip("_") else "", text
            break
    words = words.replace("_", " ").replace("-", " ").strip() or unit.lstrip(", ").capitalize()
    return (words[:1].upper() + words[1:] + (unit if words and unit and not words.endswith(unit.lstrip(", ")) else ""))


def _kind(column: str, series: pd.Series) -> str:
    name = str(column)
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_bool_dtype(series) or name in ("open_weights", "agrees"):
        return "bool"
    if "usd" in name:
        return "money"
    if name in ("pct_change",) or name.endswith("change_pct"):
        return "signed_pct"
    if name.endswith("pct"):
        return "pct"
    if name == "share":  # a fraction of 1
        return "fraction"
    if name in ("factor_per_year", "factor", "times_cheaper", "premium_ratio", "times", "ours_their_window") \
            or name.endswith("_ratio"):
        return "times"
    if name.endswith("date") or name in ("as_of", "last_observed", "retired_date", "date"):
        return "date"
    if name in ("source_url", "url", "other_source_url") or name.endswith("_url"):
        return "url"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "text"


def _number(value: float) -> str:
    """At most three significant digits below 100, whole numbers above; never more than 4 decimals."""
    magnitude = abs(value)
    if magnitude >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    text = f"{value:.3g}"
    if "e" in text or len(text.split(".")[-1]) > 4:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    if text in ("0", "-0"):  # a small value is not zero
        text = "<0.0001" if value > 0 else ">-0.0001"
    return text


def _money(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 100:
        return f"${value:,.0f}"
    if magnitude >= 1:
        return f"${value:,.2f}"
    return "$" + _number(value)


def format_cell(value, kind: str) -> str:
    """One value as text for its kind (``money``, ``pct``, ``signed_pct``, ``times``, ``date``, ``bool``,
    ``number``, ``text``); "—" for a missing value. Returns plain text (not escaped)."""
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return "—"
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d") if not isinstance(value, str) else value[:10]
    if kind == "bool":
        return "yes" if bool(value) else "no"
    if isinstance(value, str) or kind == "text":
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    number = float(value)
    if not math.isfinite(number):
        return "—"
    if kind == "money":
        return _money(number)
    if kind == "signed_pct":
        return ("+" if number > 0 else "−" if number < 0 else "") + _number(abs(number)) + "%"
    if kind == "pct":
        return _number(number) + "%"
    if kind == "fraction":
        return _number(100 * number) + "%"
    if kind == "times":
        return _number(number) + "×"
    return _number(number) if not pd.api.types.is_integer(value) else f"{int(value):,}"


def _url_cell(value) -> str:
    if not isinstance(value, str) or not value.strip():
        return "—"
    url = value.strip()
    if not re.match(r"^https?://", url):
        return html.escape(url)
    host = urlparse(url).netloc.removeprefix("www.")
    return f'<a href="{html.escape(url, quote=True)}" title="{html.escape(url, quote=True)}">{html.escape(host)}</a>'


class TableHTML:
    """What ``show`` returns: the table as HTML in every front end (text/plain for the console)."""

    def __init__(self, markup: str, text: str):
        self.markup, self.text = markup, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.markup, "text/plain": self.text}

    def __str__(self) -> str:
        return self.markup


def show(frame: pd.DataFrame | None, columns: list[str] | dict[str, str] | None = None, *, cat=None,
         empty: str = "None in this snapshot.", caption: str | None = None, ids: bool = False) -> TableHTML:
    """``frame`` as a report table (see the module docstring).

    ``columns``: which columns to show, in order (a dict also renames them: column → header);
    ``cat``: a catalog, to show model ids as display names (``ids=True`` keeps the ids, as the
    data appendix does); ``empty``: the sentence shown instead of an empty table.
    """
    if frame is None or len(frame) == 0:
        return TableHTML(f'<p class="pw-empty">{html.escape(empty)}</p>', empty)
    frame = frame.reset_index(drop=not _named_index(frame))
    names = list(columns) if columns is not None else list(frame.columns)
    headers = {c: (columns[c] if isinstance(columns, dict) else header(c)) for c in names}
    kinds = {c: _kind(c, frame[c]) for c in names}
    body = []
    for row in frame[names].itertuples(index=False):
        cells = []
        for column, value in zip(names, row):
            kind = kinds[column]
            if kind == "url":
                cells.append(f'<td class="text">{_url_cell(value)}</td>')
                continue
            text = format_cell(value, kind)
            if column == "metric" and isinstance(value, str) and not ids:
                text = metric_label(value)  # "GPQA Diamond, % correct", not gpqa_diamond
            if column == "benchmark" and isinstance(value, str) and not ids:
                text = metric_label(value).split(",")[0]  # "SWE-bench Verified", not swe_bench_verified
            if cat is not None and not ids and column in MODEL_LIST_COLUMNS and isinstance(value, str) and value:
                # two ids of one model share a name: list it once
                shown = ", ".join(dict.fromkeys(cat.display_name(m.strip()) for m in value.split(",")))
                cells.append(f'<td class="text" title="{html.escape(value, quote=True)}">{html.escape(shown)}</td>')
                continue
            if cat is not None and not ids and column in MODEL_COLUMNS and isinstance(value, str) and value:
                shown = cat.display_name(value) if not value.startswith("mix:") else value
                cells.append(f'<td title="{html.escape(value, quote=True)}">{html.escape(shown)}</td>')
                continue
            css = {"money": "num", "pct": "num", "signed_pct": "num", "times": "num", "number": "num", "fraction": "num",
                   "date": "date"}.get(kind, "text" if len(text) > 40 else "")
            cells.append(f'<td class="{css}">{html.escape(text)}</td>' if css else f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{html.escape(headers[c])}</th>" for c in names)
    long = " pw-long" if len(frame) > 15 else ""
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    markup = (f"<style>{STYLE}</style><div class=\"pw-table{long}\"><table>{title}<thead><tr>{head}</tr></thead>"
              f"<tbody>{''.join(body)}</tbody></table></div>")
    text = frame[names].rename(columns=headers).to_string(index=False, max_rows=20)
    return TableHTML(markup, text)


def _named_index(frame: pd.DataFrame) -> bool:
    """An index that carries data (a name, e.g. after a groupby) becomes a column; a RangeIndex goes."""
    return any(name is not None for name in frame.index.names)
