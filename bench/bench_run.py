"""Wall time of `pricewar run` for all reports, against a floor measured in the same run.

Floor: the same number of trivial one-cell notebooks executed by papermill from one
process with the same number of workers (what running notebooks costs at all), plus the
notebooks' own compute: the sum of their cell execution times in the executed notebooks,
divided by the number of reports that can run at once (min(jobs, reports)).
Headline (issue 20): run time / (trivial floor + compute), target <= 1.2; medians of --repeat runs.
Second ratio: the run's notebook compute against the same reports each executed by papermill in a
fresh kernel of its own (what the runner did before a worker reused its kernel), in the same run.

    .venv/bin/python bench/bench_run.py [--jobs N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from pricewar.report import runner


def alone(notebook: str, out: str, parameters: dict | None = None) -> None:
    """Execute one notebook with papermill in a fresh kernel of its own."""
    import papermill

    papermill.execute_notebook(notebook, out, parameters=parameters or {}, kernel_name=runner.kernel_name(),
                               progress_bar=False, log_output=False, cwd=str(runner.PROJECT_ROOT),
                               shutdown_kernel="immediate")


def cell_seconds(ipynb: Path) -> float:
    """Sum of the cells' execution times recorded by papermill, in seconds."""
    nb = nbformat.read(ipynb, as_version=4)
    return sum(c.get("metadata", {}).get("papermill", {}).get("duration") or 0 for c in nb.cells)


def measure(jobs: int, reports: list) -> tuple[float, float, float, float]:
    """One measure: (trivial floor, notebook compute, run wall time, compute with a fresh kernel per
    report), seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
        nbformat.write(nb, tmp / "trivial.ipynb")
        runner.vega_bundle_path()  # built once per machine; not part of either measure
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(alone, [str(tmp / "trivial.ipynb")] * len(reports),
                          [str(tmp / f"t{i}.ipynb") for i in range(len(reports))]))
        floor = time.perf_counter() - start
        start = time.perf_counter()
        code = runner.run(out=tmp / "reports", jobs=jobs, quiet=True)
        wall = time.perf_counter() - start
        folder = (tmp / "reports" / "latest").resolve() if code == 0 else None
        # reports run in parallel up to --jobs: their compute overlaps by that much at most
        parallel = min(jobs, len(reports))
        compute = sum(cell_seconds(p) for p in folder.glob("*.ipynb")) / parallel if folder else float("nan")
        pinned, _ = runner._pin_snapshots(reports, runner.check_parameters(reports))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(alone, [r.notebook for r in pinned], [str(tmp / f"f{i}.ipynb") for i in range(len(pinned))],
                          [r.parameters for r in pinned]))
        fresh = sum(cell_seconds(tmp / f"f{i}.ipynb") for i in range(len(pinned))) / parallel
    return floor, compute, wall, fresh


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    reports = runner.load_manifest(runner.DEFAULT_MANIFEST)
    runs = [measure(args.jobs, reports) for _ in range(args.repeat)]
    floor, compute, wall, fresh = (statistics.median(r[k] for r in runs) for k in range(4))
    ratios = [w / (f + c) for f, c, w, _ in runs]
    reuse = [c / a for _, c, _, a in runs]
    print(json.dumps({"reports": len(reports), "jobs": args.jobs, "repeat": args.repeat, "floor_s": round(floor, 2),
                      "notebook_compute_s": round(compute, 2), "run_s": round(wall, 2),
                      "ratios": [round(r, 2) for r in ratios], "compute_fresh_kernels_s": round(fresh, 2),
                      "compute_ratios": [round(r, 2) for r in reuse]}))
    print(f"pricewar run: {wall:.2f} s; trivial floor {floor:.2f} s + compute {compute:.2f} s; "
          f"ratio {statistics.median(ratios):.2f} (target <= 1.2; median of {args.repeat})")
    print(f"notebook compute: {compute:.2f} s in the run against {fresh:.2f} s with a fresh kernel per report; "
          f"ratio {statistics.median(reuse):.2f} (median of {args.repeat})")


if __name__ == "__main__":
    main()
