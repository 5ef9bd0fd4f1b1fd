"""How long `import pricewar` (and its three stage packages) and `catalog.load()` take, against
baselines measured in this run.

Each figure is the median of N fresh interpreter processes (`python -X importtime` is not
used: it measures imports only). Targets (issue 2): import < 0.3 s, load < 1 s. Prints
ratios against `python -c pass` and `import pandas`, which bound what the code can do.

    .venv/bin/python bench/bench_load.py [N]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 7

CASES = {
    "python -c pass (floor)": "pass",
    "import pandas (baseline)": "import pandas",
    "import pricewar": "import pricewar",
    "import the three stages": "import pricewar.data, pricewar.analysis, pricewar.report",
    "catalog.load()": "from pricewar.data import catalog; catalog.load()",
}


def median_seconds(code: str) -> float:
    times = []
    for _ in range(N):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    results = {name: median_seconds(code) for name, code in CASES.items()}
    floor, pandas = results["python -c pass (floor)"], results["import pandas (baseline)"]
    for name, seconds in results.items():
        print(f"{name:28s} {seconds:6.3f} s   {seconds / floor:5.2f}× floor   {seconds / pandas:5.2f}× pandas import")
    print(f"import pricewar above interpreter start: {results['import pricewar'] - floor:.3f} s (target < 0.3 s)")
    print(f"import pricewar.data, .analysis, .report above interpreter start: "
          f"{results['import the three stages'] - floor:.3f} s (their __init__s import nothing)")
    print(f"catalog.load() total: {results['catalog.load()']:.3f} s (target < 1 s); "
          f"above pandas import: {results['catalog.load()'] - pandas:.3f} s")


if __name__ == "__main__":
    main()
