"""Usage logs: known-answer pricing, the as-of join at a price cut, unknown models and bad rows."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pricewar import cli, errors
from pricewar.analysis import usage
from pricewar.data.paths import PROJECT_ROOT


def write_csv(tmp_path, rows, header="timestamp,model,input_tokens,output_tokens,project"):
    path = tmp_path / "log.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def test_a_thousand_requests_of_a_thousand_input_tokens_at_two_dollars_cost_two_dollars(fixture_catalog, tmp_path):
    # o3 costs $2/M input from 2025-06-10 in the fixture snapshot
    path = write_csv(tmp_path, [f"2025-07-01T10:{i % 60:02d}:00,o3,1000,0,p" for i in range(1000)])
    priced = usage.price_usage(fixture_catalog, path)
    assert priced.rows == 1000
    assert priced.total_usd == pytest.approx(2.00)


def test_the_as_of_join_uses_the_old_price_the_day_before_a_cut_and_the_new_one_on_the_day(fixture_catalog, tmp_path):
    path = write_csv(tmp_path, ["2025-06-09T23:59:59,o3,1000000,0,p", "2025-06-10T00:00:00,o3,1000000,0,p"])
    daily = usage.price_usage(fixture_catalog, path).daily.sort_values("day")
    assert daily["cost_usd"].tolist() == [10.0, 2.0]


def test_aliases_resolve_and_cached_tokens_use_the_cached_price(fixture_catalog, tmp_path):
    path = write_csv(tmp_path, ["2025-07-01T00:00:00,o3-2025-04-16,1000000,0,1000000,p"],
                     header="timestamp,model,input_tokens,output_tokens,cached_input_tokens,project")
    priced = usage.price_usage(fixture_catalog, path)
    assert priced.daily["model_id"].tolist() == ["o3"]
    assert priced.total_usd == pytest.approx(0.5)  # 1M cached tokens at $0.50/M


def test_unknown_models_are_counted_with_their_volume_not_dropped(fixture_catalog, tmp_path):
    path = write_csv(tmp_path, ["2025-07-01T00:00:00,o3,10,0,p", "2025-07-01T00:00:00,mystery-9,500,20,p",
                                "2025-07-02T00:00:00,mystery-9,100,5,q"])
    priced = usage.price_usage(fixture_catalog, path)
    assert priced.unknown_models.to_dict("records") == [
        {"model": "mystery-9", "requests": 2, "input_tokens": 600, "output_tokens": 25}]


def test_days_before_a_model_had_a_price_are_listed_as_unpriced(fixture_catalog, tmp_path):
    path = write_csv(tmp_path, ["2025-01-01T00:00:00,o3,10,0,p", "2025-07-01T00:00:00,o3,10,0,p"])
    priced = usage.price_usage(fixture_catalog, path)
    assert priced.unpriced.to_dict("records") == [{"model_id": "o3", "requests": 1, "input_tokens": 10,
                                                   "output_tokens": 0}]


@pytest.mark.parametrize("row, message", [
    ("yesterday,o3,10,0,p", "log.csv:2: timestamp: 'yesterday' — not a timestamp"),
    ("2025-07-01T00:00:00,o3,-5,0,p", "log.csv:2: input_tokens: '-5' — negative token count"),
    ("2025-07-01T00:00:00,o3,ten,0,p", "log.csv:2: input_tokens: 'ten' — not a whole number"),
])
def test_bad_rows_name_file_row_column_and_value(fixture_catalog, tmp_path, row, message):
    path = write_csv(tmp_path, [row])
    with pytest.raises(errors.UsageError) as info:
        usage.price_usage(fixture_catalog, path)
    assert message in str(info.value)


def test_missing_column(fixture_catalog, tmp_path):
    path = write_csv(tmp_path, ["2025-07-01,o3,10"], header="timestamp,model,input_tokens")
    with pytest.raises(errors.UsageError, match="log.csv:1: output_tokens: '' — missing column"):
        usage.price_usage(fixture_catalog, path)


def test_alternatives_are_compared_on_the_days_they_existed(fixture_catalog, tmp_path):
    path = write_csv(tmp_path, ["2024-06-01T00:00:00,gpt-4o,1000000,0,p", "2025-07-01T00:00:00,gpt-4o,1000000,0,p"])
    priced = usage.price_usage(fixture_catalog, path, alternatives=["o3"])
    row = priced.alternatives.iloc[0]
    assert priced.total_usd == pytest.approx(7.5)  # $5 (launch) + $2.50 (after the cut)
    assert (row["cost_usd"], row["actual_same_days_usd"]) == (pytest.approx(2.0), pytest.approx(2.5))
    assert row["share_of_spend_covered_pct"] == pytest.approx(100 * 2.5 / 7.5)


def test_synthetic_log_is_deterministic_and_round_trips(tmp_path):
    first, second = usage.synth_log(300, seed=3), usage.synth_log(300, seed=3)
    pd.testing.assert_frame_equal(first, second)
    path = usage.write_log(first, tmp_path / "log.parquet")
    assert usage.load_daily(usage._connect(), path)[1] == 300


def test_cli_cost_on_the_committed_example(capsys):
    assert cli.main(["cost", "--usage", str(PROJECT_ROOT / "data/examples/usage_sample.parquet"), "--alternatives", "gpt-4o-mini",
                     "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"] == 5000 and report["actual_usd"] > 0
    assert report["unknown_models"][0]["model"] == "acme-internal-llm"
    assert report["alternatives"][0]["alternative"] == "gpt-4o-mini"


def test_cli_cost_bad_log_exits_1(tmp_path, capsys):
    path = write_csv(tmp_path, ["2025-07-01T00:00:00,o3,-1,0,p"])
    assert cli.main(["cost", "--usage", str(path)]) == 1
    assert "negative token count" in capsys.readouterr().err


def test_a_quote_in_the_file_name_is_not_sql(fixture_catalog, tmp_path):
    folder = tmp_path / "team's logs"
    folder.mkdir()
    path = usage.write_log(usage.synth_log(50, seed=2), folder / "o'brien.parquet")
    assert usage.load_daily(usage._connect(), path)[1] == 50


@pytest.mark.parametrize("column, value, message", [
    ("input_tokens", -5, "log.parquet:3: input_tokens: '-5' — negative token count"),
    ("output_tokens", None, "log.parquet:3: output_tokens: None — not a whole number"),
    ("timestamp", None, "log.parquet:3: timestamp: None — not a timestamp"),
    ("model", "  ", "log.parquet:3: model: '  ' — empty model name"),
    ("cached_input_tokens", 10**9, "log.parquet:3: cached_input_tokens: '1000000000' — negative, or more than"),
])
def test_bad_rows_in_a_typed_parquet_log_are_found_from_its_statistics_too(fixture_catalog, tmp_path, column, value,
                                                                           message):
    # a typed Parquet log is checked through min/count aggregates (Parquet statistics), not row by row
    frame = pd.DataFrame({"timestamp": pd.to_datetime(["2025-07-01", "2025-07-02", "2025-07-03", "2025-07-04"]),
                          "model": "o3", "input_tokens": [10, 20, 30, 40], "output_tokens": [1, 2, 3, 4],
                          "cached_input_tokens": [0, 5, 0, 0], "project": "p"})
    frame[column] = frame[column].astype(object)
    frame.loc[2, column] = value
    path = usage.write_log(frame, tmp_path / "log.parquet")
    with pytest.raises(errors.UsageError) as info:
        usage.price_usage(fixture_catalog, path)
    assert "1 bad row(s) in" in str(info.value) and message in str(info.value)


def test_duckdb_draws_no_progress_bar_on_stdout():
    # a query over 2 s drew DuckDB's progress bar on stdout, which broke `pricewar cost --json` on big logs
    from pricewar.analysis import usage

    assert usage._connect().execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False
