"""What a notebook records for the run's index: its headline numbers, and whether it failed.

Notebooks call ``record("decline_per_year", 40.2, label="...", unit="×/year")``; the runner
reads the values back from the executed notebook (``read_headlines``), so the index page never
carries a number typed by hand.
"""

from __future__ import annotations

import html

__all__ = ["HEADLINE_MIME", "record", "format_value", "with_unit", "read_headlines", "read_finding", "notebook_error"]

HEADLINE_MIME = "application/vnd.pricewar.headline+json"


_STYLE = (".pricewar-headline{display:inline-block;vertical-align:top;width:15rem;max-width:100%;margin:0 .6rem .8rem 0;"
          "padding:.6rem .8rem;border:1px solid #ddd;border-radius:8px;font:14px/1.35 system-ui,sans-serif}"
          ".pricewar-headline strong{display:block;font-size:1.35rem}"
          ".pricewar-headline small{display:block;color:#555;margin-top:.3rem}")


class _Headline:
    def __init__(self, data: dict):
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        figure = with_unit(self.data["value"], self.data.get("unit", ""))
        comparison = self.data.get("comparison") or ""
        text = f"{self.data['label']}: {figure}" + (f" ({comparison})" if comparison else "")
        note = f"<small>{html.escape(comparison)}</small>" if comparison else ""
        return {HEADLINE_MIME: self.data, "text/plain": text,
                "text/html": f'<style>{_STYLE}</style><div class="pricewar-headline"><strong>{html.escape(figure)}</strong>'
                             f'{html.escape(self.data["label"])}{note}</div>'}


def record(key: str, value, label: str, unit: str = "", comparison: str = ""):
    """Record a headline number of this report (shown in the notebook and on the run's index).

    ``unit``: "USD per 1M tokens", "USD", "%", "×", "× per year", "months" or a phrase such as
    "million tokens a month"; ``label`` says what the number is and must not repeat the unit;
    ``comparison``: one line of context (the interval, the old value, the model and day).
    """
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar → Python number
    if isinstance(value, float) and value != value:
        value = None  # NaN: no number could be computed (JSON has no NaN)
    return _Headline({"key": key, "value": value, "label": label, "unit": unit, "comparison": comparison})


def format_value(value) -> str:
    """A headline value as text: three significant digits below 1,000, whole numbers above; "n/a" for None."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def with_unit(value, unit: str = "") -> str:
    """A headline with its unit, written once: "$0.015 per 1M tokens", "$97", "5.49× per year",
    "33.3%", "7.9 months"; "n/a" when there is no value."""
    text = format_value(value)
    if value is None or not unit:
        return text
    if unit.startswith("USD"):
        sign = "−" if text.startswith("-") else ""
        return f"{sign}${text.lstrip('-')}{unit[3:]}"
    if unit in ("%",) or unit.startswith("×"):
        return f"{text}{unit if unit == '%' else unit.replace('× ', '× ', 1)}"
    return f"{text} {unit}"


def read_headlines(nb: dict) -> list[dict]:
    """Headline numbers recorded in an executed notebook (nbformat dict), in order."""
    found = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if HEADLINE_MIME in data:
                found.append(data[HEADLINE_MIME])
    return found


def read_finding(nb: dict) -> str | None:
    """The report's finding: the title of its first chart (``charts.show`` writes "[chart] <title>")."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            if text.startswith("[chart] "):
                return text[len("[chart] "):].strip()
    return None


def notebook_error(nb: dict) -> str | None:
    """The error of a failed execution (papermill marks it), as 'Name: message', or None."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    if nb.get("metadata", {}).get("papermill", {}).get("exception"):
        return "the notebook raised an exception"
    return None
