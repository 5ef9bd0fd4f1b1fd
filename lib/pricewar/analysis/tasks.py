"""The price of a task, not a token: what one run of a benchmark costs at list prices.

Epoch AI's hub measured the tokens each model version used to run a benchmark (``cat.task_runs``:
input, cached input and output tokens, reasoning included, summed over the run's questions and
epochs). A task is one question of the benchmark (a GPQA Diamond question, a SWE-bench Verified
issue): the run's tokens divided by the questions it completed. A model's run is its best-scoring
one (the run that shows the capability its score claims; the latest if two tie). The cost of a
task on a day is its tokens at the list prices in force that day: input at the input price,
cached input at the cached price where the host states one (else the input price), output at the
output price. Prices are USD per 1M tokens; ``cost_per_task`` gives USD for one task, the frames
USD per 1,000 tasks (``usd_per_1k_tasks``: a GPQA question costs fractions of a cent).
"""

from __future__ import annotations

import math

import pandas as pd

from pricewar.analysis import trends
from pricewar.data import pricing
from pricewar.defaults import SCORE_TOLERANCE

__all__ = ["TOKEN_COLUMNS", "run_tokens", "run_cost_usd", "cost_per_task", "task_costs", "cheapest_task_cost",
           "decline_side_by_side", "flagship_task_change", "task_cost_table", "declines_by_benchmark",
           "cheapest_task_costs",
           "flagship_task_costs"]

TOKEN_COLUMNS = ["input_tokens", "cached_input_tokens", "output_tokens", "reasoning_tokens"]


def run_tokens(cat, benchmark: str, date=None) -> pd.DataFrame:
    """Each model's tokens for one task of ``benchmark`` (a run's tokens / its completed questions) on
    ``date`` (default: the snapshot date): a run of the version its name served that day (a run's
    ``applies_from``, blank = any day), the best-scoring if several (then the latest): model_id,
    run_id, setting, started, score, the token columns and the run's log (``source_url``)."""
    return _runs_on(cat, benchmark, pd.DataFrame({"date": [pd.Timestamp(date or cat.snapshot_date)]})).drop(columns="date")


def _runs_on(cat, benchmark: str, days: pd.DataFrame) -> pd.DataFrame:
    """``days`` (a ``date`` column) crossed with the run in force for each model on each day."""
    runs = cat.task_runs[cat.task_runs["benchmark"] == benchmark]
    if runs.empty:
        raise KeyError(f"no token counts for {benchmark!r}; benchmarks with some: "
                       f"{', '.join(sorted(set(cat.task_runs['benchmark']))) or 'none'}")
    runs = runs.assign(applies_from=runs["applies_from"].fillna(pd.Timestamp("1900-01-01")))
    grid = days[["date"]].drop_duplicates().merge(runs, how="cross")
    grid = grid[grid["applies_from"] <= grid["date"]]
    grid = grid.assign(run_score=grid["score"].astype(float).fillna(-1.0))
    grid = grid.sort_values(["date", "model_id", "applies_from", "run_score", "started", "run_id"])
    grid = grid.groupby(["date", "model_id"]).tail(1)
    grid = grid.assign(**{c: grid[c] / grid["samples"] for c in TOKEN_COLUMNS})
    return grid[["date", "model_id", "run_id", "setting", "started", "score", *TOKEN_COLUMNS,
                 "source_url"]].reset_index(drop=True)


def run_cost_usd(tokens, input_usd_per_mtok, output_usd_per_mtok, cached_input_usd_per_mtok=None):
    """USD for ``tokens`` (a mapping or frame with the token columns) at prices per 1M tokens; a
    missing cached price bills cached input at the input price. Works on scalars and Series."""
    cached_price = input_usd_per_mtok if cached_input_usd_per_mtok is None else cached_input_usd_per_mtok
    if isinstance(cached_price, pd.Series):
        cached_price = cached_price.fillna(input_usd_per_mtok)
    return (tokens["input_tokens"] * input_usd_per_mtok + tokens["cached_input_tokens"] * cached_price
            + tokens["output_tokens"] * output_usd_per_mtok) / 1e6


def cost_per_task(cat, benchmark: str, model: str, date=None) -> dict:
    """What one task of ``benchmark`` costs with ``model`` at the list price of ``date`` (default:
    the snapshot date; ``cat.price_at``): usd_per_task, the price used and the task's tokens."""
    model_id = cat.resolve(model)
    tokens = run_tokens(cat, benchmark, date).set_index("model_id")
    price = cat.price_at(model_id, date) if model_id in tokens.index or model_id in set(cat.versions["api_name"]) else None
    version = price["version_id"] if price else model_id  # the tokens are the version's the name served
    if version not in tokens.index:
        raise KeyError(f"{version} has no {benchmark} run with token counts; models with one: {len(tokens)}")
    run = tokens.loc[version]
    usd = run_cost_usd(run, price["input_usd_per_mtok"], price["output_usd_per_mtok"], price["cached_input_usd_per_mtok"])
    return {"model_id": model_id, "version_id": version, "benchmark": benchmark, "date": price["date"], "usd_per_task": float(usd),
            "price": price, "run_id": run["run_id"], "tokens": {c: float(run[c]) for c in TOKEN_COLUMNS},
            "source_url": run["source_url"]}


def task_costs(cat, benchmark: str, dates) -> pd.DataFrame:
    """Every priced name whose served version has token counts, priced on each of ``dates`` as bought
    (the creator's own API where it sells the model, else each host): date, model_id, version_id,
    host, usd_per_1k_tasks and the prices. The tokens are those of the version the name served that day."""
    days = pd.DataFrame({"date": pd.to_datetime(list(dates))})
    tokens = _runs_on(cat, benchmark, days).rename(columns={"model_id": "version_id"})
    prices = pricing.as_bought(pricing.with_versions(cat.prices), cat.models)
    prices = prices[prices["version_id"].isin(tokens["version_id"])]
    grid = days.merge(prices, how="cross")
    live = pricing.in_force(grid, grid["date"]).merge(tokens[["date", "version_id", *TOKEN_COLUMNS]],
                                                      on=["date", "version_id"])
    live = live.assign(usd_per_1k_tasks=1000 * run_cost_usd(live, live["input_usd_per_mtok"], live["output_usd_per_mtok"],
                                                            live["cached_input_usd_per_mtok"]).astype(float))
    columns = ["date", "model_id", "version_id", "host", "usd_per_1k_tasks", "input_usd_per_mtok", "output_usd_per_mtok"]
    return live[columns].sort_values(["date", "usd_per_1k_tasks", "model_id"], ignore_index=True)


def cheapest_task_cost(cat, benchmark: str, metric: str, threshold, dates) -> pd.DataFrame:
    """On each date, the cheapest task of ``benchmark`` by a model whose ``metric`` score clears the
    bar (``threshold``: a score or a model, as in ``trends.cheapest_at_or_above``): date, model_id,
    host, usd_per_1k_tasks, score."""
    bar = trends.threshold_score(cat, metric, threshold)
    costs = task_costs(cat, benchmark, dates)
    scored = trends.with_scores(costs, trends.score_periods(cat.scores, metric))
    scored = scored[scored["score"] >= bar - SCORE_TOLERANCE]
    best = scored.sort_values(["date", "usd_per_1k_tasks", "model_id"]).groupby("date").head(1)
    return best[["date", "model_id", "host", "usd_per_1k_tasks", "score"]].reset_index(drop=True)


def flagship_task_costs(cat, benchmark: str, creators: list[str], metric: str, dates) -> pd.DataFrame:
    """Each creator's flagship (``trends.flagship_prices``) on each date, and what 1,000 tasks of
    ``benchmark`` cost with it, where Epoch measured that flagship's tokens: date, creator,
    model_id, usd_per_1k_tasks."""
    flagships = trends.flagship_prices(cat, creators, metric, dates)
    costs = task_costs(cat, benchmark, dates)
    runs = flagships[["date", "creator", "model_id", "host"]].merge(costs, on=["date", "model_id", "host"])
    return runs[["date", "creator", "model_id", "usd_per_1k_tasks"]].sort_values(["creator", "date"], ignore_index=True)


def decline_side_by_side(per_token: pd.DataFrame, per_task: pd.DataFrame) -> pd.DataFrame:
    """The decline rate (``trends.fit_decline_rate`` on the days each series changes) of the
    cheapest price per token (``blended_usd_per_mtok``) and of the cheapest cost per task
    (``usd_per_1k_tasks``) at one bar, both on the days both series have (a model with measured tokens
    clears the bar): measure, factor_per_year, ci_low, ci_high, n, start, end."""
    common = set(per_token["date"]) & set(per_task["date"])
    per_token, per_task = per_token[per_token["date"].isin(common)], per_task[per_task["date"].isin(common)]
    rows = []
    for measure, series, value in (("price per token (blended USD per 1M tokens)", per_token, "blended_usd_per_mtok"),
                                   ("cost per task (USD per 1,000 tasks)", per_task, "usd_per_1k_tasks")):
        fit = trends.fit_decline_rate(trends.price_changes_only(series, value), value=value)
        rows.append({"measure": measure, **{k: fit[k] for k in ("factor_per_year", "ci_low", "ci_high", "n", "start", "end")}})
    return pd.DataFrame(rows)


def flagship_task_change(costs: pd.DataFrame) -> pd.DataFrame:
    """Per creator, the first and last flagship task cost (``flagship_task_costs``) and how many
    times the last costs the first (above 1: running the frontier got dearer)."""
    ordered = costs.sort_values(["creator", "date"])
    first = ordered.groupby("creator").head(1).set_index("creator")
    last = ordered.groupby("creator").tail(1).set_index("creator")
    out = pd.DataFrame({
        "first_date": first["date"], "first_model": first["model_id"], "first_usd_per_1k_tasks": first["usd_per_1k_tasks"],
        "last_date": last["date"], "last_model": last["model_id"], "last_usd_per_1k_tasks": last["usd_per_1k_tasks"],
    })
    out["times"] = out["last_usd_per_1k_tasks"] / out["first_usd_per_1k_tasks"]
    return out[out["first_date"] < out["last_date"]].reset_index().sort_values("times", ascending=False, ignore_index=True)


def task_cost_table(cat, benchmark: str, metric: str, date=None) -> pd.DataFrame:
    """What one task of ``benchmark`` costs on ``date`` (default: the snapshot date) with every
    model version Epoch measured that is priced that day (an open-weights model at its cheapest
    host): model_id (the version), host, usd_per_1k_tasks, output_tokens per task, its ``metric`` score;
    cheapest first."""
    day = pd.Timestamp(date or cat.snapshot_date)
    costs = task_costs(cat, benchmark, [day]).sort_values(["usd_per_1k_tasks", "version_id", "host"])
    costs = costs.drop_duplicates("version_id")
    tokens = _runs_on(cat, benchmark, pd.DataFrame({"date": [day]})).set_index("model_id")["output_tokens"]
    scores = trends.latest_scores(cat.scores, metric)
    out = pd.DataFrame({"model_id": costs["version_id"], "host": costs["host"], "usd_per_1k_tasks": costs["usd_per_1k_tasks"],
                        "output_tokens": costs["version_id"].map(tokens), "score": costs["version_id"].map(scores)})
    return out.reset_index(drop=True)


def declines_by_benchmark(cat, benchmarks: list[str], metric: str, threshold, dates, ratio: float) -> pd.DataFrame:
    """``decline_side_by_side`` at one bar for each benchmark (token row first, then the task row,
    each with its benchmark and a ``note``); a benchmark whose series has too few changes for a fit
    keeps its rows, with no rate and the reason in ``note``."""
    per_token = trends.cheapest_at_or_above(cat, metric, threshold, dates=dates, ratio=ratio)
    frames = []
    for benchmark in benchmarks:
        per_task = cheapest_task_cost(cat, benchmark, metric, threshold, dates)
        try:
            frames.append(decline_side_by_side(per_token, per_task).assign(benchmark=benchmark, note=""))
        except ValueError as exc:  # fewer than 3 changes on the days both series have: say so
            frames.append(pd.DataFrame({"benchmark": benchmark, "measure": ["price per token", "cost per task"],
                                        "factor_per_year": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                                        "n": len(per_task), "start": pd.NaT, "end": pd.NaT, "note": str(exc)}))
    out = pd.concat(frames, ignore_index=True)
    return out[["benchmark", *[c for c in out.columns if c != "benchmark"]]]


def cheapest_task_costs(cat, benchmarks: list[str], metric: str, threshold, dates) -> pd.DataFrame:
    """``cheapest_task_cost`` for each benchmark, one frame with a ``benchmark`` column (its id)."""
    return pd.concat([cheapest_task_cost(cat, b, metric, threshold, dates).assign(benchmark=b) for b in benchmarks],
                     ignore_index=True)
