"""Report pieces: headline numbers recorded by notebooks, HTML export, the run's index page.

Notebooks call ``record("decline_per_year", 40.2, label="...", unit="×/year")``;
the runner reads the values back from the executed notebook, so the index page
never carries a number typed by hand.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

HEADLINE_MIME = "application/vnd.pricewar.headline+json"
TEMPLATE_DIR = Path(__file__).parent / "templates"


class _Headline:
    def __init__(self, data: dict):
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        unit = f" {self.data['unit']}" if self.data.get("unit") else ""
        text = f"{self.data['label']}: {_format(self.data['value'])}{unit}"
        return {HEADLINE_MIME: self.data, "text/plain": text,
                "text/html": f'<p class="pricewar-headline"><strong>{html.escape(self.data["label"])}:</strong> '
                             f'{html.escape(_format(self.data["value"]))}{html.escape(unit)}</p>'}


def record(key: str, value, label: str, unit: str = ""):
    """Record a headline number of this report (shown in the notebook and on the run's index)."""
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar → Python number
    if isinstance(value, float) and value != value:
        value = None  # NaN: no number could be computed (JSON has no NaN)
    return _Headline({"key": key, "value": value, "label": label, "unit": unit})


def _format(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def read_headlines(nb: dict) -> list[dict]:
    """Headline numbers recorded in an executed notebook (nbformat dict), in order."""
    found = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if HEADLINE_MIME in data:
                found.append(data[HEADLINE_MIME])
    return found


def notebook_error(nb: dict) -> str | None:
    """The error of a failed execution (papermill marks it), as 'Name: message', or None."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    if nb.get("metadata", {}).get("papermill", {}).get("exception"):
        return "the notebook raised an exception"
    return None


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


def to_html(nb, title: str, footer: dict, error: str | None = None, bundle: str | None = None) -> str:
    """A self-contained HTML page of an executed notebook: no code, no network, charts inlined."""
    nb = nb.copy()
    nb.metadata = {**nb.metadata, "title": title}  # the page's <title>; the notebook's own heading leads the page
    resources = {"pricewar": {"title": title, "footer": footer, "error": error,
                              "bundle": bundle if bundle is not None else vega_bundle()}}
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return body


def index_html(run: dict) -> str:
    """The run's index page: one tile per report, the executive summary first."""
    esc = html.escape
    tiles = []
    for report in sorted(run["reports"], key=lambda r: (not r["name"].startswith("00"), r["order"])):
        ok = report["status"] == "ok"
        numbers = "".join(
            f"<li><strong>{esc(_format(h['value']))}{esc(' ' + h['unit'] if h.get('unit') else '')}</strong> "
            f"{esc(h['label'])}</li>" for h in report.get("headlines", []))
        error = "" if ok else f'<p class="error">{esc(report.get("error") or "failed")}</p>'
        tiles.append(
            f'<article class="tile {"ok" if ok else "failed"}"><h2><a href="{esc(report["html"])}">'
            f'{esc(report["title"])}</a></h2><p class="status">{"✓ ok" if ok else "✗ failed"} · '
            f'{report["duration_s"]:.1f} s</p>{error}<ul>{numbers}</ul></article>')
    failed = sum(r["status"] != "ok" for r in run["reports"])
    summary = "all reports succeeded" if not failed else f"{failed} of {len(run['reports'])} reports failed"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pricewar reports — {esc(run['run_id'])}</title>
<style>
body{{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#222}}
header p{{color:#555;margin:.2rem 0}} .grid{{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1rem}}
.tile{{border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem}} .tile.failed{{border-color:#c00;background:#fff5f5}}
.tile h2{{font-size:1.05rem;margin:.2rem 0}} .status{{color:#555;font-size:.9rem}} .error{{color:#a00;font-size:.9rem}}
ul{{padding-left:1.1rem}} footer{{color:#666;font-size:.85rem;margin-top:2rem}}
</style></head><body>
<header><h1>LLM API price war — reports</h1>
<p>Run {esc(run['run_id'])} · data snapshot {esc(run['snapshot'])} · {esc(summary)}</p></header>
<main class="grid">{''.join(tiles)}</main>
<footer>pricewar {esc(run['package_version'])} · git {esc(run['git_commit'])} · generated {esc(run['finished_at'])}</footer>
</body></html>
"""


def sources_table(sources: list[dict], packages: dict[str, str]):
    """The data sources with their versions (the snapshot's package versions where they apply)."""
    import pandas as pd

    return pd.DataFrame([{"source": s["id"], "gives": s.get("gives", ""), "licence": s.get("licence", ""),
                          "version": packages.get(s["id"], s.get("version", "")), "url": s.get("url", "")}
                         for s in sources])
