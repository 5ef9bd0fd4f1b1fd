"""Stress check of the scheduled run: N consecutive full `pricewar run`s (all reports) while every
core is kept busy by a spinning process, counting the runs that fail.

A scheduled run must not fail on a busy machine (kernel start races, papermill issue 511). The
headline is failures out of runs (target: 0 of 20); it also prints the median run time under load.

    .venv/bin/python bench/bench_stress.py [--runs 20] [--jobs N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def spin() -> None:
    while True:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    hogs = [multiprocessing.Process(target=spin, daemon=True) for _ in range(os.cpu_count() or 1)]
    for hog in hogs:
        hog.start()
    failures, seconds = [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(1, args.runs + 1):
                started = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "pricewar.cli", "run", "--out", str(Path(tmp) / "reports"),
                                       "--jobs", str(args.jobs), "--quiet", "--keep", "2"],
                                      capture_output=True, text=True)
                seconds.append(time.perf_counter() - started)
                if done.returncode != 0:
                    failures.append((i, done.returncode, done.stderr.strip().splitlines()[-1:] or [""]))
                print(f"run {i:2d}/{args.runs}: exit {done.returncode} in {seconds[-1]:.1f} s", flush=True)
    finally:
        for hog in hogs:
            hog.kill()
    for i, code, last in failures:
        print(f"  run {i} failed (exit {code}): {last[0]}")
    print(f"stress: {len(failures)} failures in {args.runs} full runs with {len(hogs)} spinning processes; "
          f"median run {statistics.median(seconds):.1f} s under load")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
