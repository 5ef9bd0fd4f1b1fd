"""genai-prices (pydantic, PyPI, MIT): current prices and dated price changes.

A model's prices are one ``ModelPrice`` or a list of ``ConditionalPrice``:
unconstrained (always valid), ``StartDateConstraint`` (valid from a date: a
dated price change) or ``TimeOfDateConstraint`` (off-peak windows). Rules:

- list price = the unconstrained price, updated by each start-date price;
  a start date after the snapshot date is a scheduled change: skipped, counted;
- with time-of-day prices, the list price is the one in force for most of the
  day, and the note says so (DeepSeek's off-peak discount is not a list price);
- tiered (long-context) prices: the base tier, i.e. the shortest context;
- the unconstrained price's start is not in the package: it is observed on the
  snapshot date when it is the current price, and left to the build step
  (``start_date=None``: release date or skip) when a dated change follows it.

``ClauseEquals`` values of a model's match rule are its aliases. Entries whose
``price_comments`` say the price was imported from another host are skipped.
"""

from __future__ import annotations

import datetime as dt

from pricewar.data.ids import canonical_host
from pricewar.data.sources import SourceData, chain_intervals, installed_version, price_row

__all__ = ["load_raw", "rows_from_genai_prices", "load"]

PACKAGE = "genai-prices"


def load_raw() -> list:
    from genai_prices.data import providers

    return providers


def _base(value):
    """A price, or the base (shortest-context) tier of a ``TieredPrices``."""
    return getattr(value, "base", value)


def _prices(model_price) -> tuple | None:
    """(input, output, cached input) per 1M tokens, or None without token prices."""
    values = model_price.__dict__
    inp, out = _base(values.get("input_mtok")), _base(values.get("output_mtok"))
    if inp is None or out is None:
        return None
    cached = _base(values.get("cache_read_mtok"))
    return (float(inp), float(out), None if cached is None else float(cached))


def _hours(constraint) -> float:
    """Length of a time-of-day window in hours (windows may wrap midnight)."""
    start = constraint.start_time.hour + constraint.start_time.minute / 60
    end = constraint.end_time.hour + constraint.end_time.minute / 60
    return (end - start) % 24


def _equals_values(clause) -> list[str]:
    """Exact model names a match clause accepts (through ``or`` clauses)."""
    if hasattr(clause, "equals"):
        return [clause.equals]
    if hasattr(clause, "or_"):
        return [value for inner in clause.or_ for value in _equals_values(inner)]
    return []


def rows_from_genai_prices(providers: list, version: str, snapshot_date: dt.date) -> SourceData:
    """Price intervals and aliases from genai-prices ``Provider`` objects."""
    out = SourceData(PACKAGE, version)  # the package carries no data date: its observations are undated
    for provider in sorted(providers, key=lambda p: p.id):
        host = canonical_host(provider.id)
        url = (provider.pricing_urls or [""])[0]
        for model in sorted(provider.models, key=lambda m: m.id):
            label = f"{provider.id}/{model.id}"
            if "imported from" in (model.price_comments or "").lower():
                # e.g. "Imported from OpenRouter pricing; verify against OpenAI pricing when native API
                # pricing is published": another host's price, not this provider's list price
                out.skip("price imported from another host, not this provider's own", label)
                continue
            for alias in _equals_values(model.match):
                if alias.lower() != model.id.lower():
                    out.aliases.append({"alias": alias, "raw_id": model.id, "host": host})
            base, dated, note = _list_price(model.prices)
            if base is None or _prices(base) is None:
                out.skip("no per-token input and output price", label)
                continue
            _add_timeline(out, model.id, host, url, label, _prices(base), dated, note, snapshot_date)
    return out


def _list_price(model_prices) -> tuple:
    """(the unconstrained list price, its start-date changes, a note on time-of-day prices).

    With time-of-day prices, the list price is the one in force for more than 12 hours a day.
    """
    conditional = model_prices if isinstance(model_prices, list) else []
    base = model_prices if not isinstance(model_prices, list) else None
    dated, daily = [], []
    for item in conditional:
        kind = type(item.constraint).__name__
        if item.constraint is None:
            base = item.prices
        elif kind == "StartDateConstraint":
            dated.append(item)
        elif kind == "TimeOfDateConstraint":
            daily.append(item)
    note = ""
    if daily:
        window = max(daily, key=lambda item: _hours(item.constraint))
        if _hours(window.constraint) > 12:
            base = window.prices
            note = f"list price = time-of-day price in force {_hours(window.constraint):g} h/day; other hours discounted"
        else:
            note = "off-peak discount exists; list price shown"
    return base, dated, note


def _add_timeline(out: SourceData, raw_id: str, host: str, url: str, label: str, base_prices: tuple, dated: list,
                  note: str, snapshot_date: dt.date) -> None:
    """The dated changes as intervals, and the unconstrained price before (or without) them."""
    points = []
    for item in dated:
        day = item.constraint.start_date
        if day > snapshot_date:
            out.skip("scheduled change dated after the snapshot date", f"{label} {day}")
            continue
        prices = _prices(item.prices)
        if prices is None:
            out.skip("no per-token input and output price", f"{label} {day}")
            continue
        points.append((day, prices, "dated price change"))
    first_change = min((p[0] for p in points), default=None)
    intervals = chain_intervals(points)
    for start, end, prices, what in intervals:
        out.prices.append(_row(raw_id, host, start, end, prices, out.version, url, "; ".join(filter(None, [what, note]))))
    if first_change is None:
        out.prices.append(_row(raw_id, host, snapshot_date, None, base_prices, out.version, url,
                               "; ".join(filter(None, [f"current price observed {snapshot_date}", note])),
                               observed_from=True))
    elif base_prices != intervals[0][2]:
        out.prices.append(_row(raw_id, host, None, first_change, base_prices, out.version, url,
                               "; ".join(filter(None, ["price before the first dated change", note]))))


def _row(raw_id, host, start, end, prices, version, url, note, observed_from=False) -> dict:
    return price_row(observed_from=observed_from,
        raw_id=raw_id, host=host, start_date=start, end_date=end,
        input_usd_per_mtok=prices[0], output_usd_per_mtok=prices[1], cached_input_usd_per_mtok=prices[2],
        source=PACKAGE, source_version=version, source_url=url, note=note,
    )


def load(snapshot_date: dt.date) -> SourceData:
    return rows_from_genai_prices(load_raw(), installed_version(PACKAGE), snapshot_date)
