"""A report page: an executed notebook as self-contained HTML — no code, no network, charts inlined.

The page template (``templates/pricewar``) extends JupyterLab's without its CDN scripts and
inlines the Vega bundle once, so charts are interactive offline. ``scorecard_html`` is the
summary's claims table, each claim linked to its topic report.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

import pandas as pd

__all__ = ["TEMPLATE_DIR", "vega_bundle", "exporter", "to_html", "scorecard_html"]

TEMPLATE_DIR = Path(__file__).parent / "templates"


def vega_bundle() -> str:
    """vega, vega-lite and vega-embed as one script, safe to inline in a page."""
    import vl_convert

    return vl_convert.javascript_bundle().replace("</script", "<\\/script")


@functools.cache
def exporter():
    """nbconvert's HTML exporter with the project's template, built once per process."""
    from nbconvert import HTMLExporter

    html_exporter = HTMLExporter(template_name="pricewar", extra_template_basedirs=[str(TEMPLATE_DIR)])
    html_exporter.exclude_input = True
    html_exporter.exclude_input_prompt = True
    html_exporter.exclude_output_prompt = True
    html_exporter.template  # compile the template now
    return html_exporter


def to_html(nb, title: str, footer: dict, error: str | None = None, bundle: str | None = None,
            age: str | None = None, notice: str | None = None) -> str:
    """A self-contained HTML page of an executed notebook: no code, no network, charts inlined.

    ``age`` (how old the data is) is shown above the report's title, ``notice`` (e.g. a failed
    data update) as a banner.
    """
    nb = nb.copy()
    nb.metadata = {**nb.metadata, "title": title}  # the page's <title>; the notebook's own heading leads the page
    resources = {"pricewar": {"title": title, "footer": footer, "error": error, "age": age, "notice": notice,
                              "bundle": bundle if bundle is not None else vega_bundle()}}
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return body


def scorecard_html(table: pd.DataFrame, pages: dict[str, str], titles: dict[str, str] | None = None) -> str:
    """The claims table (verdict, claim, evidence, report) through the table presenter's look, each claim
    linked to its topic report (by the report's title when ``titles`` gives it); every data string escaped."""
    from pricewar.report.tables import STYLE

    esc = html.escape
    titles = titles or {}
    rows = "".join(
        f"<tr><td><strong>{esc(r.verdict)}</strong></td><td class=\"text\">{esc(r.claim)}</td>"
        f"<td class=\"text\">{esc(r.evidence)}</td>"
        f"<td><a href=\"{esc(pages.get(r.topic, ''))}\">{esc(titles.get(r.topic, pages.get(r.topic, r.topic)))}</a></td></tr>"
        for r in table.itertuples())
    return (f"<style>{STYLE}</style><div class=\"pw-table pw-long\"><table><thead><tr><th>Verdict</th><th>Claim</th>"
            f"<th>Evidence</th><th>Report</th></tr></thead><tbody>{rows}</tbody></table></div>")
