"""What ``strategy.decision_matrix`` spends counting list-price changes: the vectorised
``strategy.list_price_changes`` against the former Python lambda over every (model, host) group, on
the committed snapshot, medians of 5 runs. Headline: the lambda's time over the vectorised time.

    .venv/bin/python bench/bench_decision.py
"""

from __future__ import annotations

import statistics
import time

from pricewar.analysis import strategy
from pricewar.data import catalog


def lambda_count(prices):
    """The former count: one Python call per (model, host) group."""
    return (prices.sort_values("start_date", kind="stable").groupby(["model_id", "host"])["input_usd_per_mtok"]
            .agg(lambda s: int((s.diff().fillna(0) != 0).sum())).groupby("model_id").sum())


def seconds(fn, *args, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    cat = catalog.load()
    groups = cat.prices.groupby(["model_id", "host"]).ngroups
    old, new = seconds(lambda_count, cat.prices), seconds(strategy.list_price_changes, cat.prices)
    matrix = seconds(strategy.decision_matrix, cat, {"capability": 1, "cost": 1, "risk": 1})
    print(f"list-price changes over {groups:,} (model, host) groups: lambda {old:.3f} s, vectorised {new:.4f} s "
          f"(median of 5)")
    print(f"decision_matrix on the snapshot: {matrix:.3f} s")
    print(f"ratio lambda/vectorised: {old / new:.0f}")


if __name__ == "__main__":
    main()
