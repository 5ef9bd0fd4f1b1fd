"""Epoch AI's Benchmarking Hub (CC BY 4.0), vendored under ``data/vendor/epoch-hub/``.

Two files, each a dated public copy pinned in ``data/sources.yaml`` (upstream repository,
commit, sha256):

- ``epoch_capabilities_index.csv``: the Epoch Capabilities Index (ECI) per model version, verbatim.
  ECI is one scale fitted over many benchmarks; it does not saturate as GPQA Diamond does.
- ``benchmark_runs.csv``: the tokens each model used in one run of a benchmark (GPQA Diamond,
  SWE-bench Verified) and the run's score (accuracy, %), extracted by ``runs_from_headers`` from
  the header of each run's public Inspect log (logs.epoch.ai), one row per run.

Epoch's model versions carry a reasoning setting as a suffix (``claude-opus-4-8_high``,
``o1_32K``): a setting of one version, not another model. ``split_setting`` separates them; the
setting is kept as a column, and the version maps to a catalog model id in the build step.

Token accounting differs by provider in Inspect's usage records, and ``billed_tokens`` normalises
it to what a provider bills: input at the input price, cache reads at the cached price, output
(reasoning included) at the output price. OpenAI-style APIs count reasoning inside the output
tokens and cache reads inside the input; Gemini and Grok report reasoning tokens beside the output;
Anthropic reports cache reads and writes beside the input, as does a record whose total counts them
apart (cache writes are billed here at the input price, which understates Anthropic's 1.25x price).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pricewar.errors import DataError

__all__ = ["SOURCE", "ECI_METRIC", "BENCHMARKS", "EpochData", "split_setting", "billed_tokens", "runs_from_headers",
           "read_eci", "read_runs", "load", "RUN_COLUMNS"]

SOURCE = "epoch-hub"
ECI_METRIC = "eci"
# the note of an ECI score whose version has no release date in the file (its as_of is the copy's date)
NO_RELEASE_DATE = "no release date in Epoch's file: as_of = the date of the copy"
# Inspect task names of the runs kept, and the metric id each is scored in.
BENCHMARKS = {"GPQA Diamond": "gpqa_diamond", "swe_bench_verified": "swe_bench_verified"}
_SETTING = re.compile(r"^(?P<base>.+?)_(?P<setting>none|minimal|low|medium|high|xhigh|max|unknown|\d+K)$")
# providers whose usage records count reasoning tokens beside (not inside) the output tokens
_REASONING_BESIDE_OUTPUT = {"google", "grok"}
# providers whose usage records count cache reads and writes beside (not inside) the input tokens
_CACHE_BESIDE_INPUT = {"anthropic"}
RUN_COLUMNS = ["run_id", "benchmark", "epoch_model", "provider", "setting", "started", "epochs", "samples",
               "score", "input_tokens", "cached_input_tokens", "output_tokens", "reasoning_tokens", "log_url"]


def split_setting(version: str) -> tuple[str, str]:
    """An Epoch model version without its reasoning-setting suffix, and the setting ('' if none)."""
    found = _SETTING.match(version)
    return (found["base"], found["setting"]) if found else (version, "")


def billed_tokens(provider: str, usage: dict) -> dict:
    """One run's Inspect usage record as billed tokens: input (uncached, cache writes included),
    cached input (cache reads) and output (reasoning included); reasoning as reported."""
    get = lambda key: int(usage.get(key) or 0)  # noqa: E731
    inp, out, reasoning = get("input_tokens"), get("output_tokens"), get("reasoning_tokens")
    read, write = get("input_tokens_cache_read"), get("input_tokens_cache_write")
    total = get("total_tokens")
    cached = read + write
    # Anthropic always counts cache tokens beside the input; another record does when its total says
    # so (a run through OpenAI's Responses API did) or when its cache reads exceed its input
    beside = (provider in _CACHE_BESIDE_INPUT or read > inp
              or (cached > 0 and total in (inp + out + cached, inp + out + cached + reasoning)))
    uncached = inp + write if beside else inp - read + write
    output = out + reasoning if provider in _REASONING_BESIDE_OUTPUT else out
    return {"input_tokens": uncached, "cached_input_tokens": read, "output_tokens": output,
            "reasoning_tokens": reasoning}


def runs_from_headers(headers: dict[str, dict], hub_versions: dict[str, str] | None = None) -> list[dict]:
    """Rows of ``benchmark_runs.csv`` from Inspect log headers (log id → ``header.json`` of the run;
    the id names the log file, as in the hub's ``id`` column): the runs of ``BENCHMARKS`` that
    succeeded, with billed tokens summed over the models used. ``hub_versions`` (log id → the hub
    export's ``Model version``, e.g. ``o3-2025-04-16_high``) gives the run's reasoning setting where
    its generate config does not."""
    rows = []
    for log_id, header in sorted(headers.items()):
        run = header["eval"]
        if run["task"] not in BENCHMARKS or header.get("status") != "success":
            continue
        provider, _, name = run["model"].partition("/")
        config = run.get("model_generate_config") or {}
        setting = (config.get("reasoning_effort") or (f"{config['reasoning_tokens'] // 1000}K"
                                                       if config.get("reasoning_tokens") else "")
                   or split_setting((hub_versions or {}).get(log_id, ""))[1])
        totals = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0, "reasoning_tokens": 0}
        for usage in (header.get("stats", {}).get("model_usage") or {}).values():
            for key, value in billed_tokens(provider, usage).items():
                totals[key] += value
        if not totals["output_tokens"]:
            continue  # no usage recorded: nothing to price
        scores = header.get("results", {}).get("scores") or [{}]
        accuracy = (scores[0].get("metrics") or {}).get("accuracy", {}).get("value")
        rows.append({
            "run_id": log_id, "benchmark": BENCHMARKS[run["task"]], "epoch_model": name.rsplit("/", 1)[-1],
            "provider": provider, "setting": setting, "started": run["created"][:10],
            "epochs": int((run.get("config") or {}).get("epochs") or 1),
            "samples": int(header.get("results", {}).get("completed_samples") or 0),
            "score": "" if accuracy is None else round(100 * accuracy, 2), **totals,
            "log_url": f"https://logs.epoch.ai/inspect_ai_logs/{log_id}.eval",
        })
    return sorted(rows, key=lambda r: (r["benchmark"], r["epoch_model"], r["started"], r["run_id"]))


def read_eci(path: Path) -> list[dict]:
    """The ECI file's rows that have a score: version, setting, score, release date, organisation."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not (row.get("ECI Score") or "").strip():
                continue
            base, setting = split_setting(row["Model version"].strip())
            rows.append({"epoch_model": base, "setting": setting, "score": float(row["ECI Score"]),
                         "release_date": row.get("Release date", "").strip(),
                         "organization": row.get("Organization", "").strip()})
    return rows


def read_runs(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_runs(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RUN_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@dataclass
class EpochData:
    """The vendored hub files, read: ECI rows, run rows, the ECI file's public URL, the newest
    upstream commit date (``as_of``) and the vendor list (``files``, for the manifest)."""

    eci: list[dict]
    runs: list[dict]
    eci_url: str
    as_of: dt.date
    files: list[dict]


def load(folder: Path) -> EpochData:
    """Read ``folder`` (``data/vendor/epoch-hub``): every file listed in its ``vendor.yaml`` must
    exist with that sha256 (``DataError`` naming the file otherwise)."""
    listing = yaml.safe_load((folder / "vendor.yaml").read_text(encoding="utf-8"))
    files = {entry["name"]: entry for entry in listing["files"]}
    for name, entry in files.items():
        path = folder / name
        if not path.is_file():
            raise DataError(f"{path}: missing (listed in {folder / 'vendor.yaml'})")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            raise DataError(f"{path}: sha256 {digest} is not the vendored {entry['sha256']} (vendor.yaml): "
                            "the file changed after it was vendored")
    eci = files["epoch_capabilities_index.csv"]
    return EpochData(eci=read_eci(folder / eci["name"]), runs=read_runs(folder / "benchmark_runs.csv"),
                     eci_url=eci["upstream"], as_of=max(dt.date.fromisoformat(str(e["commit_date"])) for e in files.values()),
                     files=listing["files"])


if __name__ == "__main__":  # re-extract benchmark_runs.csv from a git mirror of the log headers
    import json
    import subprocess
    import sys

    # <git-dir> <commit> <folder of <log id>/header.json> [hub export CSVs with id and Model version ...]
    git_dir, commit, folder, *exports = sys.argv[1:]
    hub_versions = {}
    for export in exports:
        text = subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{export}"],
                              capture_output=True, text=True, check=True).stdout
        hub_versions |= {row["id"]: row["Model version"] for row in csv.DictReader(io.StringIO(text))}
    names = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", commit, folder],
                           capture_output=True, text=True, check=True).stdout.split()
    headers = {name.split("/")[-2]: json.loads(subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{name}"],
                                                              capture_output=True, text=True, check=True).stdout)
               for name in names if name.endswith("/header.json")}
    sys.stdout.write(write_runs(runs_from_headers(headers, hub_versions)))
