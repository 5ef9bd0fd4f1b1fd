"""`pricewar run` on fixture notebooks: good runs, failures, bad parameters, interruption, escaping."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES
from pricewar import cli
from pricewar.report import record, runner

NOTEBOOKS = FIXTURES / "notebooks"
HOSTILE = "<script>alert(1)</script>"


def manifest(tmp_path, entries) -> Path:
    lines = []
    for name, notebook, parameters in entries:
        lines.append(f"- name: {name}\n  notebook: {NOTEBOOKS / notebook}\n  title: Title of {name}\n"
                     f"  parameters: {json.dumps(parameters)}")
    path = tmp_path / "reports.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def runs(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))


def test_good_run_writes_notebooks_html_index_and_latest(tmp_path, capsys):
    path = manifest(tmp_path, [("a", "ok.ipynb", {"n": 4, "label": "alpha"}),
                               ("b", "ok.ipynb", {"n": 2, "scale": 10})])
    out = tmp_path / "reports"
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "--jobs", "2"]) == 0
    (folder,) = runs(out)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{6}", folder.name)
    assert sorted(p.name for p in folder.iterdir()) == ["a.html", "a.ipynb", "b.html", "b.ipynb", "index.html", "logs", "run.json"]
    assert os.readlink(out / "latest") == folder.name
    run = json.loads((folder / "run.json").read_text())
    by_name = {r["name"]: r for r in run["reports"]}
    # two reports from one notebook, each with its own parameters and its own headline
    assert by_name["a"]["headlines"][0]["value"] == 10.0  # 1+2+3+4
    assert by_name["b"]["headlines"][0]["value"] == 30.0  # 10*(1+2)
    assert by_name["a"]["parameters"] == {"n": 4, "label": "alpha"}
    assert run["snapshot"] and run["git_commit"] and run["package_version"]
    index = (folder / "index.html").read_text()
    assert "Title of a" in index and "10 units" in index
    progress = capsys.readouterr().out
    assert "a  running" in progress or "a  ok" in progress


def test_html_has_no_code_no_remote_resources_and_a_footer(tmp_path):
    path = manifest(tmp_path, [("a", "ok.ipynb", {"n": 3})])
    out = tmp_path / "reports"
    assert runner.run(manifest=path, out=out, quiet=True) == 0
    page = (runs(out)[0] / "a.html").read_text()
    assert "charts.show(" not in page and "import altair" not in page  # inputs are hidden
    assert re.findall(r"""(?:src|href)\s*=\s*["']?https?://""", page) == []
    assert re.findall(r"url\(\s*['\"]?https?://|@import", page) == []
    assert page.count("window.vegaEmbed=") == 1  # the bundle is inlined once
    assert "Data snapshot" in page and "Git commit" in page and '{"n": 3}' in page


def test_failing_notebook_does_not_stop_the_others(tmp_path, capsys):
    out = tmp_path / "reports"
    good = manifest(tmp_path, [("a", "plain.ipynb", {})])
    assert runner.run(manifest=good, out=out, quiet=True) == 0
    latest_before = os.readlink(out / "latest")
    path = manifest(tmp_path, [("a", "plain.ipynb", {}), ("broken", "fail.ipynb", {"when": "today"})])
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "--quiet"]) == 1
    folder = runs(out)[-1]
    run = json.loads((folder / "run.json").read_text())
    status = {r["name"]: (r["status"], r["error"]) for r in run["reports"]}
    assert status == {"a": ("ok", None), "broken": ("failed", "ValueError: planted failure today")}
    page = (folder / "broken.html").read_text()
    assert page.index("This report failed") < page.index("recorded before the error")
    assert "failed" in (folder / "index.html").read_text()
    assert os.readlink(out / "latest") == latest_before  # latest only moves on a fully good run
    assert "1 failed" in capsys.readouterr().err


@pytest.mark.parametrize("override, message", [
    ("nbars=3", "report 'a': unknown parameter 'nbars'; ok.ipynb has: label, n, scale"),
    ("n=three", "report 'a': parameter 'n' = 'three' is str, expected int"),
    ("label=[1, 2]", "report 'a': parameter 'label' = [1, 2] is list, expected str"),
])
def test_bad_parameters_exit_2_before_anything_runs(tmp_path, capsys, override, message):
    path = manifest(tmp_path, [("a", "ok.ipynb", {})])
    out = tmp_path / "reports"
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "-p", override]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists() or list(out.iterdir()) == []


def test_bad_manifest_and_unknown_report_exit_2(tmp_path, capsys):
    path = manifest(tmp_path, [("a", "ok.ipynb", {})])
    assert cli.main(["run", "nope", "--manifest", str(path), "--out", str(tmp_path / "r")]) == 2
    assert "unknown report(s) nope" in capsys.readouterr().err
    path.write_text("- name: a\n  notebook: missing.ipynb\n  title: A\n")
    assert cli.main(["run", "--manifest", str(path), "--out", str(tmp_path / "r")]) == 2
    assert "notebook missing.ipynb not found" in capsys.readouterr().err


def test_a_killed_run_leaves_no_folder_and_latest_untouched(tmp_path):
    out = tmp_path / "reports"
    path = manifest(tmp_path, [("slow", "slow.ipynb", {"seconds": 30})])
    process = subprocess.Popen([sys.executable, "-m", "pricewar.cli", "run", "--manifest", str(path),
                                "--out", str(out), "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (out.exists() and any(out.glob(".tmp-*"))):
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    assert process.returncode != 0
    assert [p.name for p in out.iterdir() if p.name != ".lock"] == []  # no run folder, no temporary folder, no latest


@pytest.mark.parametrize("value, annotation, ok", [
    (3, "int", True), (True, "int", False), (3, "float", True), ("x", "str | None", True),
    (None, "str | None", True), (["a", "b"], "list[str]", True), (["a", 1], "list[str]", False),
    (2.5, "int", False), ("2024-01-01", "str", True), ({"a": 1}, "", True),
])
def test_type_matches(value, annotation, ok):
    assert runner.type_matches(value, annotation) is ok


def test_hostile_strings_are_escaped(tmp_path):
    path = manifest(tmp_path, [("a", "ok.ipynb", {"label": HOSTILE})])
    out = tmp_path / "reports"
    assert runner.run(manifest=path, out=out, quiet=True) == 0
    folder = runs(out)[0]
    for page in ("a.html", "index.html"):
        text = (folder / page).read_text()
        assert HOSTILE not in text, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (folder / "index.html").read_text()


def test_record_reads_back_from_the_executed_notebook():
    nb = {"cells": [{"outputs": [{"output_type": "display_data",
                                  "data": record.record("x", 2.5, label="x value")._repr_mimebundle_()}]}]}
    assert record.read_headlines(nb) == [{"key": "x", "value": 2.5, "label": "x value", "unit": "", "comparison": ""}]


def test_an_unreadable_notebook_is_a_manifest_error(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    path = tmp_path / "reports.yaml"
    path.write_text(f"- name: b\n  notebook: {broken}\n  title: B\n")
    assert cli.main(["run", "--manifest", str(path), "--out", str(tmp_path / "r")]) == 2
    assert "report 'b': cannot read" in capsys.readouterr().err


def test_a_run_of_some_reports_or_with_p_is_not_published_unless_asked(tmp_path, capsys):
    path = manifest(tmp_path, [("a", "plain.ipynb", {}), ("b", "plain.ipynb", {"n": 2})])
    out = tmp_path / "reports"
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "--quiet"]) == 0
    published = os.readlink(out / "latest")
    assert cli.main(["run", "a", "--manifest", str(path), "--out", str(out)]) == 0
    assert os.readlink(out / "latest") == published  # an analyst's one-off run leaves the executives' reports
    assert "is not published: latest is unchanged" in capsys.readouterr().out
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "-p", "n=5", "--quiet"]) == 0
    assert os.readlink(out / "latest") == published
    assert cli.main(["run", "a", "--manifest", str(path), "--out", str(out), "--publish", "--quiet"]) == 0
    assert os.readlink(out / "latest") == runs(out)[-1].name


def test_a_report_is_running_only_once_its_worker_starts_it(tmp_path, capsys):
    path = manifest(tmp_path, [("a", "plain.ipynb", {}), ("b", "plain.ipynb", {"n": 2})])
    assert cli.main(["run", "--manifest", str(path), "--out", str(tmp_path / "r"), "--jobs", "1"]) == 0
    states = [line.split("]", 1)[1].split() for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    assert states == [["a", "running"], ["a", "ok"], ["b", "running"], ["b", "ok"]], states


def test_relative_dates_are_resolved_against_the_snapshot():
    declared = {"as_of": {"help": "the day of the map (ISO date); None means the snapshot date"},
                "label": {"help": "a label"}}
    resolved = runner.resolve_relative_dates({"as_of": "-1y", "label": "-1y"}, declared, "2026-11-28")
    assert resolved == {"as_of": "2025-11-28", "label": "-1y"}
    assert runner.resolve_relative_dates({"as_of": "-90d"}, declared, "2026-11-28") == {"as_of": "2026-08-30"}


def test_a_parameter_can_be_set_for_one_report_only(tmp_path, capsys):
    path = manifest(tmp_path, [("a", "plain.ipynb", {}), ("b", "plain.ipynb", {})])
    out = tmp_path / "r"
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "-p", "b:n=5", "-p", "scale=2", "--quiet"]) == 0
    run = json.loads((runs(out)[-1] / "run.json").read_text())
    params = {r["name"]: r["parameters"] for r in run["reports"]}
    assert params == {"a": {"scale": 2}, "b": {"n": 5, "scale": 2}}
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "-p", "c:n=5"]) == 2
    assert "-p for unknown or unselected report(s) c" in capsys.readouterr().err


def _kernel_line(folder: Path, name: str) -> str:
    return next(line for line in (folder / "logs" / f"{name}.log").read_text().splitlines() if line.startswith("kernel "))


def test_a_reused_kernel_starts_each_report_as_a_new_one_would(tmp_path):
    path = manifest(tmp_path, [("a", "namespace.ipynb", {"tag": "a"}), ("b", "namespace.ipynb", {"tag": "b"}),
                               ("c", "namespace.ipynb", {"tag": "c"})])
    out = tmp_path / "r"
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    folder = runs(out)[-1]
    assert "reports before on it: a, b" in _kernel_line(folder, "c")  # one kernel ran all three
    for report in json.loads((folder / "run.json").read_text())["reports"]:
        values = {h["key"]: h["value"] for h in report["headlines"]}
        assert values == {"leftover": 0.0, "in_project": 1.0}, (report["name"], report["headlines"])
    assert list((folder / "logs").glob(".*.json")) == []  # every kernel was shut down, its connection file removed


def test_after_a_failed_report_the_next_gets_a_fresh_kernel(tmp_path):
    path = manifest(tmp_path, [("a", "plain.ipynb", {}), ("broken", "fail.ipynb", {"when": "now"}), ("c", "plain.ipynb", {})])
    out = tmp_path / "r"
    assert cli.main(["run", "--manifest", str(path), "--out", str(out), "--jobs", "1", "--quiet"]) == 1
    folder = runs(out)[-1]
    assert "reports before on it: a)" in _kernel_line(folder, "broken")
    assert "none: started for this report" in _kernel_line(folder, "c")
