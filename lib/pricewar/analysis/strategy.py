"""What a workload costs on every model, mixes of models, self-hosting, and a transparent decision matrix.

Costs are USD per month; prices USD per 1M tokens; shares are fractions (0–1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pricewar.analysis import frontier
from pricewar.data.paths import relative
from pricewar.defaults import BLEND_RATIO, METRIC, SCORE_TOLERANCE

__all__ = ["Workload", "assumptions", "self_host_workload", "workload_cost", "hybrid_mix", "mix_options", "best_mix", "self_host_cost",
           "break_even_volume", "decision_matrix", "list_price_changes", "self_hosting_reference", "self_host_sensitivity",
           "default_routes", "break_even_phrase", "HOURS_PER_MONTH"]

HOURS_PER_MONTH = 730.0


@dataclass(frozen=True)
class Workload:
    """Requests per month and tokens per request; ``cached_share`` of input tokens hit the cache,
    ``batch_share`` of requests go through a batch API."""

    requests_per_month: float
    input_tokens: float
    output_tokens: float
    cached_share: float = 0.0
    batch_share: float = 0.0

    def __post_init__(self):
        for name in ("cached_share", "batch_share"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if min(self.requests_per_month, self.input_tokens, self.output_tokens) < 0:
            raise ValueError("requests and token counts must not be negative")


def workload_cost(cat, workload: Workload, as_of=None, metric: str = METRIC, ratio: float = BLEND_RATIO) -> pd.DataFrame:
    """Monthly cost of ``workload`` on every model priced on ``as_of``, cheapest first.

    Cached input is billed at the cached price where the catalog lists one, else at the
    input price (``cache_basis`` says which). The catalog has no batch prices, so batch
    traffic is billed at list price and ``batch_basis`` says so.
    """
    table = frontier.scored_prices(cat, metric, as_of, ratio=ratio)
    input_mtok = workload.requests_per_month * workload.input_tokens / 1e6
    output_mtok = workload.requests_per_month * workload.output_tokens / 1e6
    cached_price = table["cached_input_usd_per_mtok"]
    has_cache = cached_price.notna()
    table = table.assign(
        monthly_cost_usd=(input_mtok * (1 - workload.cached_share) * table["input_usd_per_mtok"]
                          + input_mtok * workload.cached_share * cached_price.fillna(table["input_usd_per_mtok"])
                          + output_mtok * table["output_usd_per_mtok"]),
        cache_basis=np.where(has_cache, "listed cached price", "no cached price listed: input price"),
        batch_basis="no batch price in the catalog: list price" if workload.batch_share else "no batch traffic",
    )
    return table.sort_values(["monthly_cost_usd", "model_id"], ignore_index=True)


def hybrid_mix(cat, routes: dict[str, float], workload: Workload, as_of=None, metric: str = METRIC) -> dict:
    """Cost and share-weighted capability of a routing mix, against sending everything to its priciest model."""
    total = sum(routes.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"route shares must sum to 1, got {total:g}")
    costs = workload_cost(cat, workload, as_of, metric).set_index("model_id")
    rows = []
    for model, share in routes.items():
        model_id = cat.resolve(model)
        if model_id not in costs.index:
            raise ValueError(f"{model_id} has no price on {as_of or cat.snapshot_id}")
        all_traffic = costs.at[model_id, "monthly_cost_usd"]
        rows.append({"model_id": model_id, "share": share, "share_monthly_cost_usd": share * all_traffic,
                     "all_traffic_monthly_cost_usd": all_traffic, "score": costs.at[model_id, "score"]})
    parts = pd.DataFrame(rows)
    premium = parts.sort_values("all_traffic_monthly_cost_usd").iloc[-1]
    mix_cost = float(parts["share_monthly_cost_usd"].sum())
    return {"parts": parts, "mix_cost_usd": mix_cost, "mix_score": float((parts["share"] * parts["score"]).sum()),
            "premium_model": premium["model_id"], "premium_cost_usd": float(premium["all_traffic_monthly_cost_usd"]),
            "premium_score": float(premium["score"]),
            "savings_pct": 100 * (1 - mix_cost / premium["all_traffic_monthly_cost_usd"])}


def mix_options(mix: dict, best: dict) -> pd.DataFrame:
    """All traffic on the mix's priciest model, the mix, and the cheapest model that clears the floor
    (``best_mix``): monthly USD and score."""
    def label(routes: dict) -> str:
        return " + ".join(f"{share:.0%} {model}" for model, share in routes.items())

    routes = dict(zip(mix["parts"]["model_id"], mix["parts"]["share"]))
    return pd.DataFrame([
        {"option": "all traffic on the premium model", "routes": label({mix["premium_model"]: 1.0}),
         "monthly_cost_usd": mix["premium_cost_usd"], "score": mix["premium_score"]},
        {"option": "the mix", "routes": label(routes), "monthly_cost_usd": mix["mix_cost_usd"], "score": mix["mix_score"]},
        {"option": "the cheapest model that clears the floor", "routes": label(best["routes"]),
         "monthly_cost_usd": best["monthly_cost_usd"], "score": best["score"]},
    ])


def best_mix(cat, workload: Workload, floor_score: float, as_of=None, metric: str = METRIC) -> dict:
    """The cheapest way to serve ``workload`` with every request on a model that clears ``floor_score``.

    A router may send a request only to a model able to answer it, so the floor holds for each model
    that gets traffic, not for the share-weighted average; a mix of such models costs at least its
    cheapest member, so the answer is that model alone (share 1). Raises when no model clears the floor.
    """
    costs = workload_cost(cat, workload, as_of, metric).dropna(subset=["score"])
    capable = costs[costs["score"] >= floor_score - SCORE_TOLERANCE]
    if capable.empty:
        raise ValueError(f"no model or mix reaches {metric} {floor_score:g} on {as_of or cat.snapshot_id}")
    top = capable.sort_values("monthly_cost_usd", kind="stable").iloc[0]
    return {"routes": {top["model_id"]: 1.0}, "monthly_cost_usd": float(top["monthly_cost_usd"]),
            "score": float(top["score"])}


def self_host_cost(gpu_usd_per_hour: float, tokens_per_second: float, utilization: float, gpus: int = 1) -> float:
    """USD per 1M tokens served by ``gpus`` GPUs at ``utilization`` (0–1) of their ``tokens_per_second``."""
    if not 0 < utilization <= 1:
        raise ValueError(f"utilization must be in (0, 1], got {utilization}")
    if gpu_usd_per_hour <= 0 or tokens_per_second <= 0 or gpus < 1:
        raise ValueError("GPU price, throughput and GPU count must be positive")
    return gpu_usd_per_hour * gpus / (tokens_per_second * 3600 * utilization) * 1e6


def break_even_volume(gpu_usd_per_hour: float, tokens_per_second: float, hosted_usd_per_mtok: float,
                      gpus: int = 1) -> dict:
    """Monthly token volume above which renting ``gpus`` GPUs all month beats the hosted price.

    ``tokens_per_second`` is per GPU. The GPUs cost the same whether busy or idle; capacity is
    their throughput all month long.
    """
    monthly_gpu_usd = gpu_usd_per_hour * gpus * HOURS_PER_MONTH
    break_even = monthly_gpu_usd / hosted_usd_per_mtok * 1e6
    capacity = tokens_per_second * gpus * 3600 * HOURS_PER_MONTH
    return {"monthly_gpu_usd": monthly_gpu_usd, "break_even_tokens_per_month": break_even,
            "capacity_tokens_per_month": capacity, "feasible": break_even <= capacity,
            "break_even_utilization": break_even / capacity}


def self_host_workload(workload: Workload, gpu_usd_per_hour: float, tokens_per_second: float, utilization: float,
                       hosted_usd_per_mtok: float, gpus: int = 1) -> dict:
    """``workload`` self-hosted on rented GPUs busy ``utilization`` of the month, against the hosted price.

    The GPUs are rented in sets of ``gpus`` (one serving replica) and paid all month; at ``utilization``
    a set serves ``tokens_per_second × gpus × utilization`` tokens a second (input and output), so a
    lower utilization needs more sets for the same tokens. USD per month.
    """
    if not 0 < utilization <= 1:
        raise ValueError(f"utilization must be in (0, 1], got {utilization}")
    tokens = workload.requests_per_month * (workload.input_tokens + workload.output_tokens)
    per_set = tokens_per_second * gpus * 3600 * HOURS_PER_MONTH * utilization
    sets = max(1, math.ceil(tokens / per_set))
    self_hosted = sets * gpus * gpu_usd_per_hour * HOURS_PER_MONTH
    hosted = tokens / 1e6 * hosted_usd_per_mtok
    return {"tokens_per_month": tokens, "gpus": sets * gpus, "self_hosted_monthly_usd": self_hosted,
            "hosted_monthly_usd": hosted, "self_hosting_pays": self_hosted < hosted}


def list_price_changes(prices: pd.DataFrame) -> pd.Series:
    """Per model: how many times its input list price changed at any host (a host's first price is
    not a change), from price rows with ``model_id``, ``host``, ``start_date``, ``input_usd_per_mtok``."""
    ordered = prices.sort_values(["model_id", "host", "start_date"], kind="stable")
    steps = ordered.groupby(["model_id", "host"], sort=False)["input_usd_per_mtok"].diff().fillna(0) != 0
    return steps.groupby(ordered["model_id"]).sum().astype(int)


def decision_matrix(cat, weights: dict[str, float], metric: str = METRIC, as_of=None, ratio: float = BLEND_RATIO,
                    top: int = 15, floor_score: float | None = None, workload: Workload | None = None) -> pd.DataFrame:
    """The article's 'choice = capability × cost × risk' as a transparent weighted score (0–1 each).

    Only models that clear ``floor_score`` are ranked (all scored models when None). capability:
    score / 100. cost: 1 for the cheapest ranked model down to 0 for the dearest, on a log scale — of
    the ``workload``'s monthly cost when one is given (``monthly_cost_usd``), else of the blended
    price. risk (higher is safer): mean of price stability (no list-price change: 1), host diversity
    (hosts / 5, at most 1) and open weights (1 if the weights are published).
    """
    unknown = set(weights) - {"capability", "cost", "risk"}
    if unknown:
        raise ValueError(f"unknown weight(s) {sorted(unknown)}; use capability, cost, risk")
    table = frontier.scored_prices(cat, metric, as_of, ratio=ratio).dropna(subset=["score"])
    if floor_score is not None:
        table = table[table["score"] >= floor_score - SCORE_TOLERANCE]
    if workload is not None:
        monthly = workload_cost(cat, workload, as_of, metric, ratio=ratio).set_index("model_id")["monthly_cost_usd"]
        table = table.assign(monthly_cost_usd=table["model_id"].map(monthly)).dropna(subset=["monthly_cost_usd"])
    day = pd.Timestamp(as_of or cat.snapshot_date)
    history = cat.prices[cat.prices["start_date"] <= day]
    hosts = history.groupby("model_id")["host"].nunique()
    changes = list_price_changes(history)
    log_price = np.log10(table["monthly_cost_usd" if workload is not None else "blended_usd_per_mtok"])
    span = log_price.max() - log_price.min() or 1.0
    table = table.assign(
        capability=table["score"] / 100,
        cost=1 - (log_price - log_price.min()) / span,
        stability=1 / (1 + table["model_id"].map(changes).fillna(0)),
        host_diversity=(table["model_id"].map(hosts).fillna(1) / 5).clip(upper=1),
        openness=table["open_weights"].fillna(False).astype(float),
    )
    table["risk"] = table[["stability", "host_diversity", "openness"]].mean(axis=1)
    total = sum(weights.values()) or 1.0
    table["decision_score"] = sum(weights.get(k, 0) * table[k] for k in ("capability", "cost", "risk")) / total
    columns = ["model_id", "blended_usd_per_mtok", *(["monthly_cost_usd"] if workload is not None else []), "score",
               "capability", "cost", "stability", "host_diversity", "openness", "risk", "decision_score"]
    return table.sort_values("decision_score", ascending=False)[columns].head(top).reset_index(drop=True)


def self_hosting_reference(cat, gpu: str = "H100", model_class: str = "70b") -> dict:
    """Sourced defaults for self-hosting (the snapshot's ``self_hosting.csv``): a GPU's hourly price
    (USD per GPU-hour) and a model's serving throughput per GPU (input + output tokens per second,
    at the benchmark's own input:output ratio), each with its source. Raises if the table lacks either."""
    rows = cat.self_hosting
    file = relative(cat.folder / "self_hosting.csv")
    price = rows[(rows["kind"] == "gpu_price") & rows["gpu"].str.contains(gpu, case=False)]
    speed = rows[(rows["kind"] == "throughput") & rows["gpu"].str.contains(gpu, case=False)
                 & rows["model"].str.contains(model_class, case=False)]
    if price.empty or speed.empty:
        raise ValueError(f"{file}: needs a gpu_price row and a {model_class} throughput row for {gpu}")
    p, s = price.iloc[0], speed.iloc[0]
    # benchmarks report output tokens per second; a GPU serves the prompt tokens too, so tokens
    # served per second = output rate × (input + output) / output, at the benchmark's own ratio
    served = float(s["value"]) * (float(s["input_tokens"]) + float(s["output_tokens"])) / float(s["output_tokens"])
    return {"gpu_usd_per_hour": float(p["value"]), "gpu_source": p["source_url"],
            "gpu_note": f"{p['gpu']}, {p['as_of'].date()}",
            "tokens_per_second": served / float(s["gpus"]), "gpus": int(s["gpus"]), "throughput_source": s["source_url"],
            "throughput_note": (f"{s['model']} on {int(s['gpus'])}× {s['gpu']}, {s['setting']}: {float(s['value']):g} "
                                f"output tokens/s, {served:,.0f} tokens/s served counting the prompts")}


def self_host_sensitivity(gpu_usd_per_hour: float, tokens_per_second: float, gpus: int = 1,
                          utilizations=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
                          price_factors=(0.5, 1.0, 1.5)) -> pd.DataFrame:
    """USD per 1M tokens self-hosted over a grid of utilization and GPU price (× the reference)."""
    rows = [{"utilization": u, "gpu_price": f"{f:g}× ({gpu_usd_per_hour * f:.2f} USD/h)",
             "usd_per_mtok": self_host_cost(gpu_usd_per_hour * f, tokens_per_second, u, gpus)}
            for f in price_factors for u in utilizations]
    return pd.DataFrame(rows)


def default_routes(costs: pd.DataFrame, floor_score: float) -> dict[str, float]:
    """The article's hybrid: 20% to the best-scoring model, 70% to the cheapest model at the floor,
    10% to the cheapest open-weights model at the floor."""
    scored = costs.dropna(subset=["score"])
    capable = scored[scored["score"] >= floor_score]
    premium = scored.sort_values(["score", "monthly_cost_usd"], ascending=[False, True]).iloc[0]["model_id"]
    mid = capable.iloc[0]["model_id"]
    open_capable = capable[capable["open_weights"].fillna(False).astype(bool)]
    routes = {premium: 0.2, mid: 0.7}
    if len(open_capable):
        cheapest_open = open_capable.iloc[0]["model_id"]
        routes[cheapest_open] = routes.get(cheapest_open, 0) + 0.1
    else:
        routes[mid] += 0.1
    return routes


def break_even_phrase(even: dict, gpu_usd_per_hour: float, gpus: int = 1) -> str:
    """A chart title for ``break_even_volume``'s result."""
    share = even["break_even_utilization"]
    rented = f"{gpus} rented GPU{'s' if gpus > 1 else ''} at USD {gpu_usd_per_hour:.2f}/hour each"
    if even["feasible"]:
        return f"{rented} beat the hosted price of a 70B model above {share:.0%} utilization"
    return f"{rented} cannot beat the hosted price of a 70B model: they would need {share:.0%} utilization"


def assumptions(cat, workload: Workload, floor_model: str, floor_score: float, metric: str = METRIC,
                routes: dict | None = None, gpu_usd_per_hour: float | None = None,
                tokens_per_second: float | None = None, utilization: float = 0.5, self_host_model: str = "",
                usage_log: str = "", weights: dict | None = None, demo: bool = False) -> pd.DataFrame:
    """What a strategy report assumed, a row each (``assumption``, ``value``, ``source``): the workload,
    the capability floor, the routes, the self-hosting GPU and throughput, the usage log (``demo``: a
    synthetic log shipped with the project) and the decision weights."""
    reference = self_hosting_reference(cat) if gpu_usd_per_hour is None or tokens_per_second is None else {}
    rows = [
        ("Requests per month", f"{workload.requests_per_month:,.0f}", "parameter"),
        ("Tokens per request", f"{workload.input_tokens:,.0f} input, {workload.output_tokens:,.0f} output", "parameter"),
        ("Cached input / batch", f"{workload.cached_share:.0%} of input tokens cached, {workload.batch_share:.0%} of "
                                 "requests through batch APIs", "parameter"),
        ("Capability floor", f"{cat.display_name(floor_model)}: {floor_score:.1f} on {metric}", "parameter; score from the catalog"),
        ("Routes", ", ".join(f"{cat.display_name(m)} {share:.0%}" for m, share in routes.items()) if routes
         else "the article's hybrid: 20% to the best model, 70% to the cheapest at the floor, 10% to the cheapest "
              "open model at the floor", "parameter" if routes else "default"),
        ("GPU price", f"${gpu_usd_per_hour if gpu_usd_per_hour is not None else reference['gpu_usd_per_hour']:.2f} "
                      "per GPU-hour", "parameter" if gpu_usd_per_hour is not None else reference["gpu_source"]),
        ("Throughput", f"{tokens_per_second if tokens_per_second is not None else reference['tokens_per_second']:,.0f} "
                       "tokens per second per GPU, input and output",
         "parameter" if tokens_per_second is not None else reference["throughput_source"]),
        ("GPU utilization", f"{utilization:.0%} of the month", "parameter"),
        ("Self-hosted model", cat.display_name(self_host_model) if self_host_model else "—", "parameter"),
        ("Usage log", f"{usage_log}" + (" — demo data: a synthetic log (pricewar usage synth), not a real "
                                        "customer's usage" if demo else ""), "parameter"),
        ("Decision weights", ", ".join(f"{k} {v:g}" for k, v in (weights or {}).items()) or "—", "parameter"),
    ]
    return pd.DataFrame(rows, columns=["assumption", "value", "source"])
