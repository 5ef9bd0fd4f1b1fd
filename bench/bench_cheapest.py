"""How ``trends.cheapest_at_or_above`` scales with the price rows: the committed snapshot (1×) against the
same prices copied to 8× the rows (each copy at its own host, 1% dearer per copy), medians of 5 runs.

The cheapest GPT-4-level price is computed for the summary, notebook 01 and the claims; a cross
join of every event date with every price row grew with their product (16× the rows took 63× the
time). Headline: the 8×/1× time ratio (target: at most 10; linear is 8).

    .venv/bin/python bench/bench_cheapest.py
"""

from __future__ import annotations

import dataclasses
import statistics
import time

import pandas as pd

from pricewar.analysis import trends
from pricewar.data import catalog


def copies(cat, n: int):
    """``cat`` with its price rows copied ``n`` times, each copy at its own host and 1% dearer."""
    frames = [cat.prices.assign(host=cat.prices["host"] + (f"-copy{k}" if k else ""),
                                input_usd_per_mtok=cat.prices["input_usd_per_mtok"] * (1 + 0.01 * k),
                                output_usd_per_mtok=cat.prices["output_usd_per_mtok"] * (1 + 0.01 * k))
              for k in range(n)]
    return dataclasses.replace(cat, prices=pd.concat(frames, ignore_index=True))


def seconds(cat, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        trends.cheapest_at_or_above(cat, "gpqa_diamond", "gpt-4-0314", start="2023-03-01")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    cat = catalog.load()
    big = copies(cat, 8)
    base, scaled = seconds(cat), seconds(big)
    print(f"cheapest_at_or_above: {len(cat.prices):,} price rows {base:.3f} s, {len(big.prices):,} rows {scaled:.3f} s "
          f"(median of 5)")
    print(f"ratio 8x/1x rows: {scaled / base:.1f} (target <= 10; linear = 8)")


if __name__ == "__main__":
    main()
