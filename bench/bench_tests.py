"""Wall time of the test suite (`make test`'s pytest command) against its own CPU time, in the same run.

Headline (issue 20, as restated in its closing note): wall time / (CPU time of the suite and every
process it starts / workers), target <= 1.2. A suite on 2 cores cannot finish sooner than its work
divided by 2; the ratio says how much of the wall time is a worker waiting (on a lock, a sleep, a
kernel, the other worker's last file) rather than working. The suite's size is the CPU time itself:
the second line gives it in units of a machine-relative baseline measured in the same run, one
in-process pass over every notebook with its defaults (what the parameter tests repeat ~60 times), so
that two machines of different speed can compare it.

    .venv/bin/python bench/bench_tests.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2  # the Makefile's TEST_WORKERS


def suite() -> float:
    """Wall seconds of one run of make test's pytest command (its CPU: the caller's RUSAGE_CHILDREN)."""
    command = [sys.executable, "-m", "pytest", "-n", str(WORKERS), "--dist", "loadfile", "--no-loadscope-reorder",
               "-q", "-p", "no:cacheprovider", "tests", "notebooks"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the suite failed:\n{done.stdout[-3000:]}")
    return wall


def notebook_pass() -> float:
    """Seconds of one in-process pass over every notebook with its defaults (median of 3, warm)."""
    code = """
import sys, time, statistics
sys.path.insert(0, "tests")
import notebook_pages
names = sorted(notebook_pages.VARIANTS)
for name in names:
    notebook_pages.page(name, {})
passes = []
for _ in range(3):
    start = time.perf_counter()
    for name in names:
        notebook_pages.page(name, {})
    passes.append(time.perf_counter() - start)
print(statistics.median(passes))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    walls, cpus, ratios = [], [], []
    for _ in range(args.repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = suite()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        walls.append(wall)
        cpus.append(cpu)
        ratios.append(wall / (cpu / WORKERS))
    unit = notebook_pass()
    wall, cpu, ratio = statistics.median(walls), statistics.median(cpus), statistics.median(ratios)
    print(json.dumps({"workers": WORKERS, "repeat": args.repeat, "wall_s": [round(w, 1) for w in walls],
                      "cpu_s": [round(c, 1) for c in cpus], "ratios": [round(r, 2) for r in ratios],
                      "notebook_pass_s": round(unit, 2)}))
    print(f"make test: {wall:.1f} s wall, {cpu:.1f} s CPU on {WORKERS} workers; ratio {ratio:.2f} to CPU/{WORKERS} "
          f"(target <= 1.2; median of {args.repeat})")
    print(f"suite size: {cpu / unit:.0f} in-process passes over every notebook ({unit:.2f} s each here); "
          f"wall {wall / unit:.0f} passes")


if __name__ == "__main__":
    main()
