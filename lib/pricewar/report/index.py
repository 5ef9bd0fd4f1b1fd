"""The run's index page (``templates/run-index.html.j2``), and the links between a run's pages.

One tile per report, the executive summary first: status, duration, its headline numbers.
Jinja escapes every value.
"""

from __future__ import annotations

import functools

from pricewar.report.html import TEMPLATE_DIR
from pricewar.report.record import format_value, with_unit

__all__ = ["index_html", "delta_phrase", "topic_reports", "report_links", "links_html"]


@functools.cache
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["figure"] = lambda h: with_unit(h.get("value"), h.get("unit", ""))
    env.filters["delta"] = delta_phrase
    return env.get_template("run-index.html.j2")


def index_html(run: dict) -> str:
    """The run's index page: one tile per report, the executive summary first."""
    reports = sorted(run["reports"], key=lambda r: (not r["name"].startswith("00"), r["order"]))
    failed = sum(r["status"] != "ok" for r in run["reports"])
    summary = "all reports succeeded" if not failed else f"{failed} of {len(run['reports'])} reports failed"
    return _template().render(run=run, reports=reports, summary=summary)


def delta_phrase(headline: dict) -> str:
    """A headline's change against the previous run: "▲ from 5.1", "▼ from 7", "unchanged", "new"."""
    old, new = headline.get("previous"), headline.get("value")
    if old is None or new is None:
        return "no earlier value" if old is None else "no value now"
    if old == new:
        return "unchanged"
    unit = headline.get("unit", "")
    if format_value(old) == format_value(new):
        return "unchanged"
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return f"{'▲' if new > old else '▼'} from {with_unit(old, unit)}"
    return f"was {with_unit(old, unit)}"


def topic_reports(manifest_entries: list[dict]) -> dict[str, str]:
    """Topic number ("01") → the HTML page of the first report that runs that notebook."""
    pages = {}
    for entry in manifest_entries:
        topic = entry["notebook"].rsplit("/", 1)[-1][:2]
        pages.setdefault(topic, f"{entry['name']}.html")
    return pages


def report_links(manifest_entries: list[dict], exclude: str | None = None) -> list[dict]:
    """Every report of a run, as ``{"page", "title"}`` in manifest order, without the report named ``exclude``
    (a page does not link to itself)."""
    return [{"page": f"{entry['name']}.html", "title": entry["title"]} for entry in manifest_entries
            if entry["name"] != exclude]


def links_html(manifest_entries: list[dict], exclude: str | None = None) -> str:
    """``report_links`` as an HTML list of titled links (escaped)."""
    import html

    return "<ul>" + "".join(f'<li><a href="{html.escape(link["page"], quote=True)}">{html.escape(link["title"])}</a></li>'
                            for link in report_links(manifest_entries, exclude)) + "</ul>"
