"""The claims register, its verdicts, and the snapshot diff."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pandas as pd
import pytest
import yaml

from conftest import FIXTURES
from pricewar.data import catalog
from pricewar.analysis import claims, diff
from pricewar import cli, errors
from pricewar.data.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def cat():
    return catalog.load("latest", root=PROJECT_ROOT / "data" / "snapshots")


def test_the_register_has_at_least_15_claims_and_every_check_runs(cat):
    register = claims.load_register(cat)
    assert len(register) >= 15
    table = claims.evaluate_register(cat, register=register)
    assert "error" not in set(table["verdict"]), table[table["verdict"] == "error"].to_dict("records")
    assert set(table["verdict"]) <= {"supported", "partly", "refuted", "not checkable"}
    assert set(table["topic"]) == {"01", "02", "03", "04"}


def test_a_crafted_catalog_flips_a_verdict(cat):
    register = [{"id": "x", "quote": "GPT-4 Turbo at $0.03/1K", "section": "2.1", "topic": "02",
                 "check": "tier_representative",
                 "args": {"name": "GPT-4 Turbo", "model": "gpt-4-turbo", "claimed_usd_per_mtok": 30.0}}]
    assert claims.evaluate_register(cat, register=register)["verdict"].iloc[0] == "refuted"
    crafted = dataclasses.replace(cat, prices=cat.prices.copy())
    mask = (crafted.prices["model_id"] == "gpt-4-turbo") & (crafted.prices["host"] == "openai")
    crafted.prices.loc[mask, ["input_usd_per_mtok", "output_usd_per_mtok"]] = [30.0, 30.0]  # blended 30 = $0.03/1K
    assert claims.evaluate_register(crafted, register=register)["verdict"].iloc[0] == "supported"


def test_a_check_that_fails_is_an_error_not_a_verdict(cat):
    register = [{"id": "y", "quote": "q", "section": "s", "topic": "01", "check": "r1_discount",
                 "args": {"model": "no-such-model-anywhere"}}]
    row = claims.evaluate_register(cat, register=register).iloc[0]
    assert row["verdict"] == "error" and "UnknownModelError" in row["evidence"]


def test_a_register_entry_naming_an_unknown_check_is_refused_at_its_line(cat, tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("- id: a\n  quote: q\n  section: s\n  topic: '01'\n  check: guess\n")
    crafted = dataclasses.replace(cat, folder=tmp_path, inputs={**cat.inputs, "claims": yaml.safe_load(path.read_text())})
    with pytest.raises(errors.ValidationError, match=r"claims.yaml:5: check: 'guess' — unknown check"):
        claims.load_register(crafted)


def test_cli_claims_json(capsys):
    assert cli.main(["claims", "--topic", "02", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} >= {"s2.1-claude-35-opus", "s2.1-gemini-ultra"}
    assert next(r for r in rows if r["id"] == "s2.1-claude-35-opus")["verdict"] == "refuted"


def test_diff_lists_exactly_the_planted_changes(tmp_path, monkeypatch):
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "snapshot", root / "snapshots")
    shutil.copytree(FIXTURES / "snapshot_next", root / "snapshots", dirs_exist_ok=True)
    monkeypatch.setenv("PRICEWAR_DATA_DIR", str(root))
    result = diff.diff_snapshots(catalog.load("2026-01-31"), catalog.load("2026-02-28"))
    assert result["new_models"] == ["gpt-5"]
    assert result["removed_models"] == ["gpt-4o-2024-05-13"]
    changes = result["price_changes"][["model_id", "host", "pct_change"]].round(1).values.tolist()
    assert changes == [["o3", "openai", -50.0], ["gpt-4o", "openai", 334.3]]
    assert result["tier_changes"][["model_id", "tier_old", "tier_new"]].values.tolist() == [["gpt-4o", "entry", "mid"]]
    assert result["new_frontier_models"] == ["gpt-5"]
    assert diff.previous_snapshot("2026-02-28", root / "snapshots") == "2026-01-31"
    assert diff.previous_snapshot("2026-01-31", root / "snapshots") is None


def test_the_tier_representatives_are_built_once_per_catalog(fixture_catalog, monkeypatch):
    from pricewar.analysis import claims

    calls, real = [], claims._tier_representatives
    monkeypatch.setattr(claims, "_tier_representatives", lambda *args: calls.append(1) or real(*args))
    first = claims.tier_representatives(fixture_catalog)
    first.loc[0, "verdict"] = "changed by the caller"
    second = claims.tier_representatives(fixture_catalog)
    assert len(calls) == 1 and second.loc[0, "verdict"] != "changed by the caller"
