"""Adapters from the installed data packages to tidy rows.

Each adapter is a pure function from a package's own data structure to a
``SourceData``; a small loader next to it reads the installed package. Rows
keep the package's raw model id (``raw_id``); ``pricewar.build`` maps raw ids
to canonical model ids once all sources are in.

Price rows are dicts with: ``raw_id, host, start_date, end_date,
input_usd_per_mtok, output_usd_per_mtok, cached_input_usd_per_mtok, source,
source_version, source_url, note, observed_from``. ``observed_from`` is True when
``start_date`` is the day the source first saw the price (a crawl or data date), not the day the
price began (a launch, a dated change). ``start_date`` is a ``datetime.date`` or
None when the source gives a price without saying since when (the build step
then uses the release date or skips the row, counted).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version as package_version

__all__ = ["SourceData", "installed_version", "price_row", "chain_intervals"]


@dataclass
class SourceData:
    """What one package contributes, and what it had to leave out (counted by reason)."""

    name: str
    version: str
    models: list[dict] = field(default_factory=list)
    prices: list[dict] = field(default_factory=list)
    aliases: list[dict] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    skipped_examples: dict[str, list[str]] = field(default_factory=dict)
    # models the source says their provider removed: {"host", "raw_id", "as_of"} (the source's data
    # date, by which it was gone; the source does not say since when)
    removed: list[dict] = field(default_factory=list)
    # the date of the source's newest data: its current prices were last observed then
    observed_on: dt.date | None = None

    def skip(self, reason: str, example: str) -> None:
        """Count a row left out, keeping a few examples for the manifest."""
        self.skipped[reason] += 1
        examples = self.skipped_examples.setdefault(reason, [])
        if len(examples) < 5:
            examples.append(example)


def installed_version(package: str) -> str:
    return package_version(package)


def price_row(*, raw_id, host, start_date, end_date, input_usd_per_mtok, output_usd_per_mtok,
              cached_input_usd_per_mtok, source, source_version, source_url, note="", observed_from=False) -> dict:
    """One price interval in the shape every adapter emits (prices per 1M tokens, USD);
    ``observed_from``: its start is when the source saw it, not when it began."""
    return {
        "raw_id": raw_id,
        "host": host,
        "start_date": start_date,
        "end_date": end_date,
        "input_usd_per_mtok": _number(input_usd_per_mtok),
        "output_usd_per_mtok": _number(output_usd_per_mtok),
        "cached_input_usd_per_mtok": _number(cached_input_usd_per_mtok),
        "source": source,
        "source_version": source_version,
        "source_url": source_url,
        "note": note,
        "observed_from": bool(observed_from),
    }


def _number(value) -> float | None:
    return None if value is None else round(float(value), 6)


def chain_intervals(points: list[tuple], key=lambda p: p[1]) -> list[tuple]:
    """Turn dated price points into intervals.

    ``points`` are ``(start_date, prices, extra)`` tuples; ``prices`` None marks a
    withdrawal. Points on the same day keep the last; consecutive points with
    equal ``key`` merge into the first. Returns ``(start, end, prices, extra)``
    with ``end`` exclusive (None = still current).
    """
    by_day: dict = {}
    for point in points:
        by_day[point[0]] = point
    ordered = [by_day[day] for day in sorted(by_day)]
    merged: list[tuple] = []
    for point in ordered:
        if merged and key(merged[-1]) == key(point):
            continue
        merged.append(point)
    intervals = []
    for i, (start, prices, extra) in enumerate(merged):
        if prices is None:
            continue
        end = merged[i + 1][0] if i + 1 < len(merged) else None
        intervals.append((start, end, prices, extra))
    return intervals
