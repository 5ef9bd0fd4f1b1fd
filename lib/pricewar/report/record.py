"""What a notebook records for the run's index: its headline numbers, and whether it failed.

Notebooks call ``record("decline_per_year", 40.2, label="...", unit="×/year")``; the runner
reads the values back from the executed notebook (``read_headlines``), so the index page never
carries a number typed by hand.
"""

from __future__ import annotations

import html

__all__ = ["HEADLINE_MIME", "record", "format_value", "read_headlines", "notebook_error"]

HEADLINE_MIME = "application/vnd.pricewar.headline+json"


class _Headline:
    def __init__(self, data: dict):
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        unit = f" {self.data['unit']}" if self.data.get("unit") else ""
        text = f"{self.data['label']}: {format_value(self.data['value'])}{unit}"
        return {HEADLINE_MIME: self.data, "text/plain": text,
                "text/html": f'<p class="pricewar-headline"><strong>{html.escape(self.data["label"])}:</strong> '
                             f'{html.escape(format_value(self.data["value"]))}{html.escape(unit)}</p>'}


def record(key: str, value, label: str, unit: str = ""):
    """Record a headline number of this report (shown in the notebook and on the run's index)."""
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar → Python number
    if isinstance(value, float) and value != value:
        value = None  # NaN: no number could be computed (JSON has no NaN)
    return _Headline({"key": key, "value": value, "label": label, "unit": unit})


def format_value(value) -> str:
    """A headline value as text: three significant digits below 1,000, whole numbers above; "n/a" for None."""
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
