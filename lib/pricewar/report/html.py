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


def scorecard_html(table: pd.DataFrame, pages: dict[str, str]) -> str:
    """The claims table as HTML, each claim linked to its topic report; every data string escaped."""
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(r.verdict)}</td><td>{esc(r.claim)}</td><td>{esc(r.evidence)}</td>"
        f"<td><a href=\"{esc(pages.get(r.topic, ''))}\">{esc(pages.get(r.topic, r.topic))}</a></td></tr>"
        for r in table.itertuples())
    return ("<table class=\"dataframe\"><thead><tr><th>verdict</th><th>claim</th><th>evidence</th>"
            f"<th>report</th></tr></thead><tbody>{rows}</tbody></table>")
