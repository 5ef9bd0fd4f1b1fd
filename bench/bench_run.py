"""Wall time of `pricewar run` for all reports, against a floor measured in the same run.

Floor: the same number of trivial one-cell notebooks executed by papermill from one
process with the same number of workers (what running notebooks costs at all).
Target (issue 4): run time <= 1.5 x floor + the notebooks' own compute, where the
notebooks' compute is the sum of their cell execution times in the executed notebooks,
divided by the number of reports that can run at once (min(jobs, reports)).

    .venv/bin/python bench/bench_run.py [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from pricewar.report import runner


def trivial(path: str, out: str) -> None:
    import papermill

    papermill.execute_notebook(path, out, kernel_name=runner.kernel_name(), progress_bar=False,
                               log_output=False, shutdown_kernel="immediate")


def cell_seconds(ipynb: Path) -> float:
    """Sum of the cells' execution times recorded by papermill, in seconds."""
    nb = nbformat.read(ipynb, as_version=4)
    return sum(c.get("metadata", {}).get("papermill", {}).get("duration") or 0 for c in nb.cells)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    reports = runner.load_manifest(runner.DEFAULT_MANIFEST)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
        nbformat.write(nb, tmp / "trivial.ipynb")
        runner.vega_bundle_path()  # built once per machine; not part of either measure
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(trivial, [str(tmp / "trivial.ipynb")] * len(reports),
                          [str(tmp / f"t{i}.ipynb") for i in range(len(reports))]))
        floor = time.perf_counter() - start
        start = time.perf_counter()
        code = runner.run(out=tmp / "reports", jobs=args.jobs, quiet=True)
        wall = time.perf_counter() - start
        folder = (tmp / "reports" / "latest").resolve() if code == 0 else None
        # reports run in parallel up to --jobs: their compute overlaps by that much at most
        parallel = min(args.jobs, len(reports))
        compute = sum(cell_seconds(p) for p in folder.glob("*.ipynb")) / parallel if folder else float("nan")
    budget = 1.5 * floor + compute
    print(json.dumps({"reports": len(reports), "jobs": args.jobs, "floor_s": round(floor, 2),
                      "notebook_compute_s": round(compute, 2), "run_s": round(wall, 2)}))
    print(f"pricewar run: {wall:.2f} s; floor {floor:.2f} s; ratio to floor {wall / floor:.2f}x; "
          f"ratio to budget (1.5 x floor + compute) {wall / budget:.2f} (target <= 1.0)")


if __name__ == "__main__":
    main()
