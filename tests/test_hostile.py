"""Hostile input, tried as a hostile user would: nothing is lost, and no wrong number comes out with exit 0.

Each case ends in a clear ``file:row: column: value — reason`` (or one line naming the path or the
condition), a non-zero exit, and earlier outputs intact. Bad values in a snapshot's tables are in
``test_validation.py``; this file holds the cases that need more than one file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from conftest import FIXTURE_SNAPSHOT
from pricewar import cli, errors
from pricewar.analysis import usage
from pricewar.data import refresh, snapshot
from test_build import CURATED_PRICES_HEADER, SCORES, SNAPSHOT_DATE, fixture_sources

PRICES = ("o3,openai,2025-04-16,2025-06-10,10,40,2.5,curated,https://example.org/launch,launch\n"
          "o3,openai,2025-06-10,,2,8,0.5,curated,https://example.org/cut,cut\n"
          "gpt-4o,openai,2024-05-13,2024-10-02,5,15,,curated,https://example.org/a,launch\n"
          "gpt-4o,openai,2024-10-02,,2.5,10,1.25,curated,https://example.org/b,moved\n"
          "gpt-4o-2024-05-13,openai,2024-05-13,,5,15,,curated,https://example.org/c,kept\n")
SCORE_ROWS = ("o3,gpqa_diamond,80,2025-05-01,,https://example.org/s,fixture\n"
              "gpt-4o,gpqa_diamond,50,2024-08-01,,https://example.org/s,fixture\n"
              "gpt-4o-2024-05-13,gpqa_diamond,51,2024-06-01,,https://example.org/s,fixture\n")


def curated_folder(tmp_path, prices: str = PRICES, scores: str = SCORE_ROWS):
    folder = tmp_path / "curated"
    folder.mkdir(exist_ok=True)
    (folder / "prices.csv").write_text(CURATED_PRICES_HEADER + prices)
    (folder / "scores.csv").write_text(SCORES.splitlines()[0] + "\n" + scores)
    return folder


def build(tmp_path, folder, **kwargs):
    return refresh.refresh(SNAPSHOT_DATE, root=tmp_path / "snapshots", curated=folder, sources=fixture_sources(),
                           **kwargs)


def digest(folder) -> dict:
    return {p.name: snapshot.sha256(p) for p in sorted(folder.iterdir())}


# --- data loss with exit 0 ---------------------------------------------------------------------

def test_a_curated_row_cut_short_by_a_truncated_save_is_refused_and_the_snapshot_kept(tmp_path):
    folder = curated_folder(tmp_path)
    good = build(tmp_path, folder)
    before = digest(good)
    (folder / "prices.csv").write_text(CURATED_PRICES_HEADER + PRICES + "o3,azure,2025-06-10,,2")
    with pytest.raises(errors.ValidationError, match=r"prices.csv:7: output_usd_per_mtok: 'o3,azure,2025-06-10,,2' — "
                                                     r"5 fields where the header has 10"):
        build(tmp_path, folder, force=True)
    assert digest(good) == before


@pytest.mark.parametrize("damage, message", [
    ("delete", "prices.csv:1: : '' — missing curated table"),
    ("header-only", "prices.csv:2: : '' — no rows: the table must not be empty"),
    ("folder", "prices.csv:1: : '' — a folder where a curated CSV file belongs"),
])
def test_the_projects_curated_tables_must_all_exist_and_have_rows(tmp_path, damage, message):
    folder = curated_folder(tmp_path)
    path = folder / "prices.csv"
    if damage == "delete":
        path.unlink()
    elif damage == "header-only":
        path.write_text(CURATED_PRICES_HEADER)
    else:
        path.unlink()
        path.mkdir()
    problems = refresh.read_curated(folder, SNAPSHOT_DATE, whole=True)[2]
    assert any(message in str(p) for p in problems), problems


def test_force_never_shrinks_the_curated_history_without_saying_so(tmp_path):
    folder = curated_folder(tmp_path)
    good = build(tmp_path, folder)
    before = digest(good)
    (folder / "prices.csv").write_text(CURATED_PRICES_HEADER + PRICES.splitlines(keepends=True)[0])  # 4 rows lost
    with pytest.raises(errors.DataError, match=r"would drop 4 curated rows that snapshot 2026-11-28 holds \(more than "
                                               r"3\): prices: gpt-4o-2024-05-13\|openai\|2024-05-13; prices: gpt-4o\|"):
        build(tmp_path, folder, force=True)
    assert digest(good) == before
    # an intended removal goes through, and the snapshot says what it dropped
    rebuilt = build(tmp_path, folder, force=True, allow_removals=True)
    assert len(snapshot.read_manifest(rebuilt)["removed_curated_rows"]) == 4


def test_a_few_removed_curated_rows_are_recorded_not_silent(tmp_path):
    folder = curated_folder(tmp_path)
    build(tmp_path, folder)
    (folder / "prices.csv").write_text(CURATED_PRICES_HEADER + "".join(PRICES.splitlines(keepends=True)[:4]))
    rebuilt = build(tmp_path, folder, force=True)
    assert snapshot.read_manifest(rebuilt)["removed_curated_rows"] == ["prices: gpt-4o-2024-05-13|openai|2024-05-13"]


def test_validate_checks_the_curated_files_too(data_dir, capsys, monkeypatch):
    monkeypatch.chdir(data_dir)
    curated = data_dir / "curated"
    (curated / "prices.csv").write_text(CURATED_PRICES_HEADER + PRICES + "o3,azure,2025-06-10")
    assert cli.main(["data", "validate"]) == 1
    err = capsys.readouterr().err
    assert "curated/prices.csv:7: end_date: 'o3,azure,2025-06-10' — 3 fields where the header has 10" in err
    assert "curated/scores.csv:1: : '' — missing curated table" in err  # the folder holds one curated file: all needed


# --- wrong numbers with exit 0 -----------------------------------------------------------------

def test_an_alias_to_a_model_that_does_not_exist_is_refused_not_a_phantom_model(tmp_path):
    folder = curated_folder(tmp_path)
    (folder / "aliases.csv").write_text("alias,model_id,source_url,note\ngpt-4o,gpt-4o-typo,https://example.org/x,\n")
    with pytest.raises(errors.ValidationError, match=r"aliases.csv:2: model_id: 'gpt-4o-typo' — not a model of the "
                                                     r"packages or of data/curated/models.csv"):
        build(tmp_path, folder)


def test_an_absurd_price_does_not_make_the_right_one_look_per_1k(tmp_path):
    folder = curated_folder(tmp_path, prices=PRICES.replace("2,8,0.5,curated", "2,8000,0.5,curated"))
    with pytest.raises(errors.ValidationError) as info:
        build(tmp_path, folder)
    lines = str(info.value).splitlines()
    assert any("prices.csv:3: output_usd_per_mtok: '8000' — implausible price" in line for line in lines), lines
    assert not any("per-1K" in line for line in lines), lines


def log(tmp_path, rows, name="log.csv", header="timestamp,model,input_tokens,output_tokens"):
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def test_the_same_instant_in_two_offsets_costs_the_same(fixture_catalog, tmp_path):
    # 2024-10-01 23:30 at -05:00 is 2024-10-02 04:30 UTC: the day gpt-4o became 2.5/10
    west = log(tmp_path, ["2024-10-01T23:30:00-05:00,gpt-4o,1000000,1000000"], "west.csv")
    utc = log(tmp_path, ["2024-10-02T04:30:00Z,gpt-4o,1000000,1000000"], "utc.csv")
    assert usage.price_usage(fixture_catalog, west).total_usd == usage.price_usage(fixture_catalog, utc).total_usd == 12.5


def test_a_short_timestamp_with_an_offset_is_not_taken_for_utc(fixture_catalog, tmp_path):
    # 19 characters like "YYYY-MM-DD HH:MM:SS", but minutes and an offset: 2024-10-02 04:30 UTC, as above
    short = log(tmp_path, ["2024-10-01 23:30-05,gpt-4o,1000000,1000000"], "short.csv")
    plain = log(tmp_path, ["2024-10-02 04:30:00,gpt-4o,1000000,1000000"], "plain.csv")  # UTC as written
    assert usage.price_usage(fixture_catalog, short).total_usd == usage.price_usage(fixture_catalog, plain).total_usd == 12.5


def test_a_count_with_leading_zeros_is_still_a_whole_number(fixture_catalog, tmp_path):
    padded = log(tmp_path, ["2024-10-02T04:30:00Z,gpt-4o,0001000000, 1000000"], "padded.csv")
    assert usage.price_usage(fixture_catalog, padded).total_usd == 12.5


def test_a_tz_aware_parquet_log_is_priced_at_its_utc_instant_whatever_the_machines_tz(fixture_catalog, tmp_path):
    path = usage.write_log(pd.DataFrame({  # a TIMESTAMPTZ column
        "timestamp": pd.to_datetime(["2024-10-01T23:30:00-05:00"], utc=True), "model": ["gpt-4o"],
        "input_tokens": [1_000_000], "output_tokens": [1_000_000]}), tmp_path / "log.parquet")
    code = ("import sys; from pricewar.data import catalog; from pricewar.analysis import usage; "
            "print(usage.price_usage(catalog.load(), sys.argv[1]).total_usd)")
    costs = {tz: subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                                env={**os.environ, "TZ": tz}).stdout.strip()
             for tz in ("UTC", "America/New_York", "Asia/Tokyo")}
    assert set(costs.values()) == {"12.5"}, costs


@pytest.mark.parametrize("row, message", [
    ("2030-01-01T00:00:00,o3,10,0", "log.csv:2: timestamp: '2030-01-01T00:00:00' — after the snapshot date"),
    ("2025-07-01T00:00:00,o3,1.5,0", "log.csv:2: input_tokens: '1.5' — not a whole number"),
    ("2025-07-01T00:00:00,o3,true,0", "log.csv:2: input_tokens: 'true' — not a whole number"),
    ("2025-07-01T00:00:00,o3,0x10,0", "log.csv:2: input_tokens: '0x10' — not a whole number"),
    ("2025-07-01T00:00:00,o3,9223372036854775807,9223372036854775807",
     "log.csv:2: input_tokens: '9223372036854775807' — implausible token count"),
])
def test_bad_usage_rows_are_refused_not_rounded_or_priced_today(fixture_catalog, tmp_path, row, message):
    with pytest.raises(errors.UsageError) as info:
        usage.price_usage(fixture_catalog, log(tmp_path, [row]))
    assert message in str(info.value)


def test_a_path_with_glob_characters_reads_that_file_only(fixture_catalog, tmp_path):
    log(tmp_path, ["2025-07-01T00:00:00,o3,1000000,0"], "log-a.csv")
    log(tmp_path, ["2025-07-01T00:00:00,o3,1000000,0"], "log-b.csv")
    starred = log(tmp_path, ["2025-07-01T00:00:00,o3,1000000,0"], "log*.csv")
    assert usage.price_usage(fixture_catalog, starred).rows == 1


@pytest.mark.parametrize("name, content, message", [
    ("log.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "log.csv: not a readable csv usage log"),
    ("log.parquet", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "log.parquet: not a readable parquet usage log"),
])
def test_a_file_that_is_not_a_log_gets_one_line_and_exit_1(data_dir, tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert cli.main(["cost", "--usage", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("mix, message", [
    ("o3: 1.5\ngpt-4o: -0.5\n", "o3: 1.5 — a share is more than 0 and at most 1; gpt-4o: -0.5"),
    ("o3: true\n", "a mix is a mapping of model: share"),
])
def test_mix_shares_outside_0_to_1_are_refused(data_dir, tmp_path, capsys, mix, message):
    path = log(tmp_path, ["2025-07-01T00:00:00,o3,10,0"])
    (tmp_path / "mix.yaml").write_text(mix)
    assert cli.main(["cost", "--usage", str(path), "--mix", str(tmp_path / "mix.yaml")]) == 1
    assert message in capsys.readouterr().err


def test_usage_synth_into_a_missing_folder_is_one_line_exit_2(tmp_path, capsys):
    assert cli.main(["usage", "synth", "--rows", "5", "--out", str(tmp_path / "nowhere" / "log.csv")]) == 2
    assert "nowhere: no such folder" in capsys.readouterr().err


def test_a_price_after_the_snapshot_is_refused_not_todays_price(data_dir, capsys):
    assert cli.main(["price", "o3", "--at", "2030-01-01"]) == 2
    assert f"2030-01-01 is after snapshot {FIXTURE_SNAPSHOT}: its prices are known up to {FIXTURE_SNAPSHOT}" \
        in capsys.readouterr().err


def test_before_the_first_price_the_earliest_host_is_named(data_dir, capsys):
    # llama-3.3-70b: togetherai from 2024-12-06, the other hosts from 2025-01-15
    assert cli.main(["price", "llama-3.3-70b", "--at", "2024-06-01"]) == 2
    assert "no price before 2024-12-06 (pricing starts on 2024-12-06, at togetherai)" in capsys.readouterr().err


# --- runs that hang, race or leave debris ----------------------------------------------------------

def manifest(tmp_path, entries: list[tuple[str, str, dict]], extra: str = "") -> str:
    from conftest import FIXTURES

    path = tmp_path / "reports.yaml"
    path.write_text("".join(f"- name: {name}\n  notebook: {FIXTURES / 'notebooks' / notebook}\n  title: {name}\n"
                            f"  parameters: {json.dumps(parameters)}\n{extra}" for name, notebook, parameters in entries))
    return str(path)


def test_a_cell_that_hangs_fails_its_report_at_the_timeout_and_the_run_goes_on(data_dir, tmp_path, capsys):
    path = manifest(tmp_path, [("hangs", "slow.ipynb", {"seconds": 120}), ("fine", "plain.ipynb", {})], "  timeout: 2\n")
    started = time.monotonic()
    assert cli.main(["run", "--manifest", path, "--out", str(tmp_path / "out"), "--quiet"]) == 1
    assert time.monotonic() - started < 60
    run = json.loads(next((tmp_path / "out").glob("2*/run.json")).read_text())
    status = {r["name"]: (r["status"], r["error"] or "") for r in run["reports"]}
    assert status["fine"] == ("ok", "")
    assert status["hangs"][0] == "failed" and "timed out" in status["hangs"][1], status


def test_a_kernel_that_fails_to_start_gets_one_more_try(data_dir, tmp_path, monkeypatch):
    import papermill

    real, calls = papermill.execute_notebook, []

    def flaky(*args, **kwargs):  # the workers are forked: they inherit this
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    path = manifest(tmp_path, [("a", "plain.ipynb", {})])
    assert cli.main(["run", "--manifest", path, "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"]) == 0
    assert "retrying once" in next((tmp_path / "out").glob("2*/logs/a.log")).read_text()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not open(f"/proc/{pid}/stat").read().split(") ")[1].startswith("Z")  # a zombie is dead


def test_sigkill_of_the_run_takes_its_workers_with_it_and_the_next_run_clears_the_debris(data_dir, tmp_path):
    out, pids = tmp_path / "out", tmp_path / "pids"
    path = manifest(tmp_path, [("slow", "slow.ipynb", {"seconds": 120, "pid_file": str(pids)})])
    process = subprocess.Popen([sys.executable, "-m", "pricewar.cli", "run", "--manifest", path, "--out", str(out),
                                "--jobs", "1", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    kernel, worker = (int(p) for p in pids.read_text().split())
    process.kill()
    process.wait()
    deadline = time.monotonic() + 20
    while (_alive(worker) or _alive(kernel)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker) and not _alive(kernel)
    assert list(out.glob(".tmp-*"))  # the killed run's staging folder is left ...
    quick = manifest(tmp_path, [("a", "plain.ipynb", {})])
    assert cli.main(["run", "--manifest", quick, "--out", str(out), "--quiet"]) == 0
    assert not list(out.glob(".tmp-*"))  # ... and the next run removes it: its process is provably dead


def test_two_runs_started_in_the_same_second_get_different_ids(tmp_path):
    from pricewar.report import runner

    first, first_staging = runner._new_run(tmp_path)
    second, second_staging = runner._new_run(tmp_path)
    assert first != second and second.startswith(first[:17]) and runner.RUN_ID.match(second)
    assert first_staging != second_staging


@pytest.mark.parametrize("override, message", [
    ("as_of=2030-01-01", "parameter as_of = 2030-01-01 is after its snapshot 2026-01-31"),
    ("as_of=2025-13-01", "parameter as_of = '2025-13-01' is not a date (YYYY-MM-DD)"),
    ("snapshot=2019-01-01", "no snapshot '2019-01-01'"),
])
def test_a_report_date_or_snapshot_the_data_cannot_serve_exits_2_before_anything_runs(
        data_dir, tmp_path, capsys, override, message):
    from conftest import FIXTURES

    notebook = tmp_path / "dated.ipynb"
    text = (FIXTURES / "notebooks" / "ok.ipynb").read_text()
    notebook.write_text(text.replace('"scale: float = 1.0  # multiplies the values"',
                                     '"scale: float = 1.0  # multiplies the values\\n",\n'
                                     '    "snapshot: str = \\"latest\\"  # data/snapshots/<date>\\n",\n'
                                     '    "as_of: Optional[str] = None  # the day (ISO date)"'))
    path = tmp_path / "reports.yaml"
    path.write_text(f"- name: dated\n  notebook: {notebook}\n  title: Dated\n")
    out = tmp_path / "out"
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "-p", override]) == 2
    assert message in capsys.readouterr().err
    assert not list(out.glob("2*"))


def test_an_out_that_is_a_file_is_one_line_and_exit_2(data_dir, tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    path = manifest(tmp_path, [("a", "ok.ipynb", {})])
    assert cli.main(["run", "--manifest", path, "--out", str(tmp_path / "out")]) == 2
    assert "cannot write run folders there: is a file, not a folder" in capsys.readouterr().err


def test_a_stray_or_impossible_snapshot_folder_never_becomes_latest(data_dir, capsys):
    (data_dir / "snapshots" / "2099-01-01").mkdir()  # empty: no manifest
    bogus = data_dir / "snapshots" / "2026-13-45"
    bogus.mkdir()
    (bogus / "manifest.json").write_text("{}")
    assert snapshot.list_snapshots() == [FIXTURE_SNAPSHOT]
    assert cli.main(["price", "o3"]) == 0
    assert f"on {FIXTURE_SNAPSHOT}" in capsys.readouterr().out


def test_a_broken_manifest_is_one_line_and_exit_1(data_dir, capsys):
    (data_dir / "snapshots" / FIXTURE_SNAPSHOT / "manifest.json").write_text('{"files": ')
    assert cli.main(["data", "validate"]) == 1
    err = capsys.readouterr().err
    assert "manifest.json: not a readable manifest" in err and "Traceback" not in err
