"""model-prices (PyPI, MIT): dated first-party price timelines with a source per change.

Its ``standard`` tier is the list price. Each timeline entry has a ``start``
(None for the first known price, which then starts at its ``valid_from``) and
``rates`` (None when the model was not offered). Long-context tiers inside
``rates`` are ignored: the base rate is the shortest-context price.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files

from pricewar.data.ids import canonical_host
from pricewar.data.sources import SourceData, chain_intervals, installed_version, price_row

__all__ = ["load_raw", "rows_from_model_prices", "load"]

PACKAGE = "model-prices"
# start bases that date a price by when it was seen (a models.dev commit, a crawl), not when it began;
# "documented" starts are the provider's own dates
OBSERVED_BASES = {"models.dev commit", "first observed"}


def load_raw() -> dict:
    return json.loads((files("model_prices") / "snapshot.json").read_text(encoding="utf-8"))


def _day(timestamp: str) -> dt.date:
    return dt.date.fromisoformat(timestamp[:10])


def rows_from_model_prices(raw: dict, version: str, snapshot_date: dt.date) -> SourceData:
    """Price intervals of every (provider, model) standard-tier timeline, and the models its
    ``status`` lists as removed (as of its ``updated_at``)."""
    out = SourceData(PACKAGE, version)
    updated = raw.get("updated_at")
    out.observed_on = _day(updated) if updated else None
    for provider_id, models in sorted(raw.get("status", {}).items()):
        for model_id, status in sorted(models.items()):
            if status == "removed" and updated:
                out.removed.append({"host": canonical_host(provider_id), "raw_id": model_id, "as_of": _day(updated)})
    for provider_id in sorted(raw.get("prices", {})):
        host = canonical_host(provider_id)
        for model_id, tiers in sorted(raw["prices"][provider_id].items()):
            timeline = tiers.get("standard")
            if not timeline:
                out.skip("no standard-tier timeline", f"{provider_id}/{model_id}")
                continue
            points = []
            for entry in timeline:
                rates = entry.get("rates")
                start = entry.get("start") or (rates or {}).get("valid_from")
                if start is None:
                    continue  # "not offered" before anything was known: nothing to record
                day = _day(start)
                if day > snapshot_date:
                    out.skip("dated after the snapshot date", f"{provider_id}/{model_id} {day}")
                    continue
                if rates is not None and (rates.get("input") is None or rates.get("output") is None):
                    out.skip("no per-token input and output price", f"{provider_id}/{model_id} {day}")
                    rates = None
                prices = None if rates is None else (rates["input"], rates["output"], rates.get("cache_read"))
                points.append((day, prices, rates))
            for start, end, prices, rates in chain_intervals(points):
                out.prices.append(price_row(
                    raw_id=model_id, host=host, start_date=start, end_date=end,
                    input_usd_per_mtok=prices[0], output_usd_per_mtok=prices[1],
                    cached_input_usd_per_mtok=prices[2],
                    source=PACKAGE, source_version=version, source_url=rates.get("source", ""),
                    note=f"start basis: {rates.get('valid_from_basis', 'unknown')}",
                    observed_from=rates.get("valid_from_basis") in OBSERVED_BASES,
                ))
    return out


def load(snapshot_date: dt.date) -> SourceData:
    return rows_from_model_prices(load_raw(), installed_version(PACKAGE), snapshot_date)
