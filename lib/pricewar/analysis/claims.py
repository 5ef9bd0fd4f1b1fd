"""Checks of the article's claims against the catalog: each returns a verdict and its evidence.

Verdicts: ``supported``, ``partly``, ``refuted``, ``not checkable`` (with the reason).
The verdict text is computed here, never typed into a notebook. Prices are USD per 1M
tokens; the article's "$0.03/1K tokens" is $30 per 1M.
"""

from __future__ import annotations

import weakref

import pandas as pd

from pricewar.analysis import trends
from pricewar.data import pricing
from pricewar.errors import ValidationError
from pricewar.defaults import ARTICLE_DATE, BLEND_RATIO, GPT4_THRESHOLD_MODEL, METRIC

__all__ = ["stable_2024_prices", "gemini_q1_2025_cut", "gpt4_level_price_today", "red_line",
           "tier_representatives", "gap_closing", "open_models_free", "small_matches_large", "llama4_context",
           "tier_representative", "r1_discount", "hybrid_strategy", "gemini_paid", "not_checkable",
           "load_register", "evaluate_register", "CHECKS", "TIER_REPRESENTATIVES"]

PER_1K = 1000.0  # USD per 1M tokens → USD per 1K tokens divides by this


def _metric(metric: str) -> str:
    """A metric's short name for evidence text ("GPQA Diamond")."""
    from pricewar.defaults import METRICS

    return METRICS.get(metric, metric).split(",")[0]


def _per_1k(usd_per_mtok: float) -> str:
    return f"${usd_per_mtok / PER_1K:.2g}/1K (${usd_per_mtok:.3g}/1M)"


def stable_2024_prices(cat, ratio: float = BLEND_RATIO, models=("gpt-4", "gpt-4-turbo", "claude-3-opus", "gemini-1.5-pro"),
                       level_usd_per_mtok: float = 30.0, tolerance: float = 1.5) -> dict:
    """'In 2024 GPT-4, Claude 3 and Gemini stayed at ~$0.03/1K.' Prices mid-2024 and cuts during 2024."""
    rows, near = [], 0
    for model in models:
        price = cat.price_at(model, "2024-06-01")
        blended = pricing.blended_price(price["input_usd_per_mtok"], price["output_usd_per_mtok"], ratio)
        near += level_usd_per_mtok / tolerance <= blended <= level_usd_per_mtok * tolerance
        rows.append(f"{cat.display_name(model)} {_per_1k(blended)}")
    cuts = trends.repricings(trends.first_party_changes(cat, 20, ratio))
    cuts = cuts[cuts["host"].isin(["openai", "anthropic", "google"])]
    cuts_2024 = cuts[(cuts["date"].dt.year == 2024) & (cuts["kind"] == "cut")]
    verdict = "supported" if near == len(models) and cuts_2024.empty else ("partly" if near else "refuted")
    evidence = (f"on 2024-06-01: {'; '.join(rows)} — {near} of {len(models)} within {tolerance}× of $0.03/1K; "
                f"{len(cuts_2024)} list-price cuts of 20%+ by OpenAI, Anthropic and Google during 2024 "
                f"({', '.join(sorted({cat.display_name(m) for m in cuts_2024['model_id']}))})")
    return {"verdict": verdict, "evidence": evidence}


def gemini_q1_2025_cut(cat, ratio: float = BLEND_RATIO, claimed_pct: float = 70.0) -> dict:
    """'Q1 2025: Gemini cut its price 70%, from $0.03/1K to $0.01/1K.' Gemini's first-party cuts."""
    cuts = trends.repricings(trends.first_party_changes(cat, 20, ratio))
    cuts = cuts[cuts["host"] == "google"]
    cuts = cuts[cuts["model_id"].str.startswith("gemini") & (cuts["kind"] == "cut")]
    in_q1 = cuts[(cuts["date"] >= "2025-01-01") & (cuts["date"] < "2025-04-01")]
    listed = "; ".join(f"{r.date.date()} {cat.display_name(r.model_id)} {r.pct_change:.0f}% to {_per_1k(r.new_blended_usd_per_mtok)}"
                       for r in cuts.sort_values("date").itertuples())
    close = in_q1[(in_q1["pct_change"] + claimed_pct).abs() <= 10]
    verdict = "supported" if len(close) else "refuted"
    evidence = (f"Gemini list-price cuts of 20%+ in the catalog: {listed or 'none'}; "
                f"{len(in_q1)} in Q1 2025")
    return {"verdict": verdict, "evidence": evidence}


def gpt4_level_price_today(cat, metric: str = METRIC, ratio: float = BLEND_RATIO, threshold=GPT4_THRESHOLD_MODEL,
                           claimed_usd_per_mtok: float = 10.0, tolerance: float = 2.0) -> dict:
    """'GPT-4-level intelligence costs about $0.01/1K.' The cheapest GPT-4-level model today."""
    series = trends.cheapest_at_or_above(cat, metric, threshold, ratio=ratio)
    today = series.iloc[-1]
    factor = claimed_usd_per_mtok / today["blended_usd_per_mtok"]
    verdict = "supported" if 1 / tolerance <= factor <= tolerance else "refuted"
    evidence = (f"cheapest model scoring at least {cat.display_name(threshold)}'s {_metric(metric)} on "
                f"{today['date'].date()}: {cat.display_name(today['model_id'])} at {today['host']}, "
                f"{_per_1k(today['blended_usd_per_mtok'])} — "
                f"{factor:,.0f}× below the claimed $0.01/1K")
    return {"verdict": verdict, "evidence": evidence}


def red_line(cat, ratio: float = BLEND_RATIO, line_usd_per_mtok: float = 10.0) -> dict:
    """'Below $0.01/1K, open-source models will be eliminated.' A forecast; the evidence is today's prices."""
    day = pd.Timestamp(cat.snapshot_date)
    prices = pricing.in_force(pricing.with_versions(cat.prices), day)
    open_ids = set(cat.models.loc[cat.models["open_weights"].fillna(False).astype(bool), "model_id"])
    open_prices = prices[prices["version_id"].isin(open_ids)]
    blended = pricing.blended_price(open_prices["input_usd_per_mtok"], open_prices["output_usd_per_mtok"], ratio)
    below = open_prices.loc[blended < line_usd_per_mtok, "model_id"].nunique()
    evidence = (f"a forecast about market exits, which prices alone cannot test; on {day.date()}, "
                f"{below} of {open_prices['model_id'].nunique()} priced open-weights models are offered "
                f"below $0.01/1K by at least one host")
    return {"verdict": "not checkable", "evidence": evidence}


# The article's section 2 names: (tier, name in the article, catalog id it most plausibly means, claimed USD per 1M)
# "Gemini Pro" on the article's date (2026-04-01) is the Gemini Pro on sale then; "Llama 4" is its larger model.
TIER_REPRESENTATIVES = [
    ("premium", "GPT-4 Turbo", "gpt-4-turbo", 30.0),
    ("premium", "Claude 3.5 Opus", "claude-3-5-opus", 30.0),
    ("premium", "Gemini Ultra", "gemini-ultra", 30.0),
    ("mid", "Gemini Pro", "gemini-3.1-pro-preview", 10.0),
    ("mid", "Claude 3.5 Sonnet", "claude-3-5-sonnet", 10.0),
    ("mid", "DeepSeek R1", "deepseek-reasoner", 10.0),
    ("entry (free)", "Llama 4", "llama-4-maverick", 0.0),
    ("entry (free)", "Qwen3.5-9B", "qwen3.5-9b", 0.0),
    ("entry (free)", "DeepSeek-V2", "deepseek-v2", 0.0),
]


# tier_representatives of a catalog, built once per (catalog, ratio, day, tolerance): every
# tier-representative claim reads one row of it (key -> (weak reference to the catalog, table))
_REPRESENTATIVES: dict[tuple, tuple] = {}


def tier_representatives(cat, ratio: float = BLEND_RATIO, as_of: str = ARTICLE_DATE, tolerance: float = 1.5) -> pd.DataFrame:
    """Each model the article names as a tier representative: does it exist, and what did it cost?"""
    key = (id(cat), ratio, str(as_of), tolerance)
    held = _REPRESENTATIVES.get(key)
    if held is not None and held[0]() is cat:
        return held[1].copy()
    table = _tier_representatives(cat, ratio, as_of, tolerance)
    for stale in [k for k, (ref, _) in _REPRESENTATIVES.items() if ref() is None]:
        del _REPRESENTATIVES[stale]
    _REPRESENTATIVES[key] = (weakref.ref(cat), table)
    return table.copy()


def _tier_representatives(cat, ratio: float, as_of: str, tolerance: float) -> pd.DataFrame:
    from pricewar.errors import NoPriceError, UnknownModelError

    rows = []
    for tier, name, model, claimed in TIER_REPRESENTATIVES:
        row = {"tier": tier, "article_name": name, "model_id": model, "claimed_usd_per_mtok": claimed}
        try:
            model_id = cat.resolve(model)
        except UnknownModelError as exc:
            close = f" (closest in the catalog: {', '.join(exc.suggestions[:3])})" if exc.suggestions else ""
            rows.append({**row, "verdict": "refuted", "evidence": f"no model by this name exists{close}"})
            continue
        flag = cat.models.set_index("model_id").at[model_id, "open_weights"]
        open_weights = False if pd.isna(flag) else bool(flag)
        try:
            price = cat.price_at(model_id, as_of)
        except NoPriceError as exc:
            price = None
            note = str(exc)
        if price is None:
            verdict = "partly" if claimed == 0 and open_weights else "not checkable"
            evidence = (f"open weights (free to download); no hosted list price on {as_of}: {note}" if open_weights
                        else f"no list price on {as_of}: {note}")
            rows.append({**row, "model_id": model_id, "verdict": verdict, "evidence": evidence})
            continue
        blended = pricing.blended_price(price["input_usd_per_mtok"], price["output_usd_per_mtok"], ratio)
        where = f"{price['host']} on {as_of}: {_per_1k(blended)} blended"
        if claimed == 0:
            verdict = "partly" if open_weights else "refuted"
            evidence = (f"{'open weights, free to download; ' if open_weights else 'closed weights; '}"
                        f"hosted at {where} — not free")
        else:
            ok = claimed / tolerance <= blended <= claimed * tolerance
            verdict = "supported" if ok else "refuted"
            evidence = f"{where}; the article says {_per_1k(claimed)}"
        rows.append({**row, "model_id": model_id, "blended_usd_per_mtok": blended, "verdict": verdict,
                     "evidence": evidence})
    return pd.DataFrame(rows)


def gap_closing(cat, metric: str = METRIC, ratio: float = BLEND_RATIO) -> dict:
    """'The intelligence gap between open and closed models is closing.' Gap in points and lag in months."""
    from pricewar.analysis import openness

    fo = openness.capability_frontier(cat, metric, True)
    fc = openness.capability_frontier(cat, metric, False)
    start = max(fo["date"].min(), fc["date"].min())
    gaps = openness.vertical_gap(fo, fc, [start + pd.DateOffset(years=1), pd.Timestamp(cat.snapshot_date)])
    lag = openness.capability_lag(fo, fc)
    levels = lag["levels"].sort_values("closed_date")
    half = len(levels) // 2
    early, late = levels["lag_months"].iloc[:half].mean(), levels["lag_months"].iloc[half:].mean()
    then, now = gaps["gap_points"].iloc[0], gaps["gap_points"].iloc[-1]
    closing = now < then and late <= early
    verdict = "supported" if closing else ("partly" if now < then or late <= early else "refuted")
    evidence = (f"{_metric(metric)} gap between the best closed and best open model: {then:.1f} points on "
                f"{gaps['date'].iloc[0].date()}, {now:.1f} on {gaps['date'].iloc[-1].date()}; open models reached "
                f"closed records {early:.1f} months later on average for the earlier half of records, "
                f"{late:.1f} months for the later half")
    return {"verdict": verdict, "evidence": evidence}


def open_models_free(cat, ratio: float = BLEND_RATIO) -> dict:
    """'Open-source models are free or nearly free.' What hosts charge for open-weights models today."""
    table = cat.prices_on(ratio=ratio)
    open_table = table[table["open_weights"].fillna(False).astype(bool)]
    median = open_table["blended_usd_per_mtok"].median()
    closed_median = table.loc[~table["open_weights"].fillna(False).astype(bool), "blended_usd_per_mtok"].median()
    evidence = (f"weights are free to download, but hosted use is not: on {cat.snapshot_id} the median open-weights "
                f"model costs {_per_1k(median)} blended across its hosts ({len(open_table)} models), "
                f"against {_per_1k(closed_median)} for closed models; free tiers and local runtimes "
                f"(zero prices) are not list prices and are left out of the catalog")
    return {"verdict": "partly", "evidence": evidence}


def small_matches_large(cat, small: str = "qwen3.5-9b", large_b: tuple[float, float] = (100.0, 130.0),
                        ratio: float = BLEND_RATIO) -> dict:
    """'Qwen3.5-9B matches 120B models on most benchmarks.'"""
    from pricewar.analysis import openness

    model_id = cat.resolve(small)
    own = cat.scores[cat.scores["model_id"] == model_id]
    if own.empty:
        sizes = openness.size_classes(cat, large_range_b=large_b)
        large = sizes[sizes["size_class"] == "large"]["model_id"]
        return {"verdict": "not checkable",
                "evidence": f"the catalog has no benchmark score for {cat.display_name(model_id)}; "
                            f"{len(large)} open models of {large_b[0]:g}–{large_b[1]:g}B are in the catalog"}
    rows, wins = [], 0
    sizes = openness.size_classes(cat, large_range_b=large_b)
    large_ids = set(sizes.loc[sizes["size_class"] == "large", "model_id"])
    for metric, score in own.groupby("metric")["score"].max().items():
        best = cat.scores[(cat.scores["metric"] == metric) & cat.scores["model_id"].isin(large_ids)]["score"].max()
        if pd.notna(best):
            wins += score >= best - 2
            rows.append(f"{metric}: {score:g} vs best large {best:g}")
    verdict = "supported" if rows and wins > len(rows) / 2 else ("refuted" if rows else "not checkable")
    return {"verdict": verdict, "evidence": "; ".join(rows) or "no shared metric"}


def llama4_context(cat, claimed_tokens: int = 10_000_000, ratio: float = BLEND_RATIO) -> dict:
    """'Llama 4 (free, 10M context).' The context windows the catalog lists for Llama 4."""
    models = cat.models[cat.models["model_id"].str.match(r"^llama-4-(scout|maverick)$")]
    listed = ", ".join(f"{cat.display_name(r.model_id)} {int(r.context_window):,}" for r in models.itertuples()
                       if pd.notna(r.context_window))
    best = models["context_window"].max()
    if pd.notna(best) and best >= claimed_tokens:
        return {"verdict": "supported", "evidence": f"context windows in the catalog: {listed}"}
    return {"verdict": "not checkable",
            "evidence": f"hosted offers in the catalog list {listed or 'no context window'} tokens; no catalog host "
                        f"offers a 10M-token window (the model card is not a source of this catalog)"}


def tier_representative(cat, name: str, model: str, claimed_usd_per_mtok: float, ratio: float = BLEND_RATIO,
                        as_of: str = ARTICLE_DATE, tolerance: float = 1.5) -> dict:
    """One model the article names as a tier representative (see ``tier_representatives``)."""
    table = tier_representatives(cat, ratio=ratio, as_of=as_of, tolerance=tolerance)
    row = table[table["article_name"] == name]
    if row.empty:
        raise KeyError(f"{name!r} is not one of the article's tier representatives")
    return {"verdict": row["verdict"].iloc[0], "evidence": row["evidence"].iloc[0]}


def r1_discount(cat, ratio: float = BLEND_RATIO, claimed_pct: float = 95.0, tolerance_points: float = 5.0,
                rival: str = "o1", model: str = "deepseek-reasoner") -> dict:
    """'DeepSeek R1 is 95% cheaper than the competition.' R1 against o1 on R1's launch day."""
    first = cat.prices[(cat.prices["model_id"] == cat.resolve(model))]["start_date"].min()
    ours, theirs = cat.price_at(model, first), cat.price_at(rival, first)
    r1 = pricing.blended_price(ours["input_usd_per_mtok"], ours["output_usd_per_mtok"], ratio)
    o1 = pricing.blended_price(theirs["input_usd_per_mtok"], theirs["output_usd_per_mtok"], ratio)
    cheaper = 100 * (1 - r1 / o1)
    verdict = "supported" if abs(cheaper - claimed_pct) <= tolerance_points else "refuted"
    return {"verdict": verdict, "evidence": f"on {first.date()}: {cat.display_name(model)} {_per_1k(r1)} against "
                                            f"{cat.display_name(rival)} {_per_1k(o1)} "
                                            f"blended — {cheaper:.1f}% cheaper"}


def hybrid_strategy(cat, ratio: float = BLEND_RATIO, floor_model: str = "gpt-4o-2024-05-13", metric: str = METRIC,
                    requests_per_month: float = 1_000_000, input_tokens: float = 1500, output_tokens: float = 400) -> dict:
    """'Hybrid strategy: high-end + mid-range + open source.' The default mix against all-premium."""
    from pricewar.analysis import strategy

    work = strategy.Workload(requests_per_month, input_tokens, output_tokens)
    floor = trends.threshold_score(cat, metric, floor_model)
    costs = strategy.workload_cost(cat, work, metric=metric, ratio=ratio)
    capable = costs[costs["score"] >= floor]
    mix = strategy.hybrid_mix(cat, strategy.default_routes(capable, floor), work, metric=metric)
    best = strategy.best_mix(cat, work, floor, metric=metric)
    saving = mix["savings_pct"]
    return {"verdict": "supported" if saving > 0 else "refuted",
            "evidence": f"the default mix costs {saving:.0f}% less than sending everything to "
                        f"{cat.display_name(mix['premium_model'])}, "
                        f"at a share-weighted score of {mix['mix_score']:.1f} against {mix['premium_score']:.1f}; "
                        "every request on the cheapest model that clears the floor, "
                        + ", ".join(cat.display_name(m) for m in best["routes"])
                        + f", costs USD {best['monthly_cost_usd']:,.0f}/month"}


def gemini_paid(cat, ratio: float = BLEND_RATIO, model: str = "gemini-3.1-pro-preview", claimed_usd_per_mtok: float = 10.0,
                tolerance: float = 1.5) -> dict:
    """'Gemini $0.01/1K tokens, startups still need to pay.'"""
    price = cat.price_at(model, ARTICLE_DATE)
    blended = pricing.blended_price(price["input_usd_per_mtok"], price["output_usd_per_mtok"], ratio)
    close = claimed_usd_per_mtok / tolerance <= blended <= claimed_usd_per_mtok * tolerance
    return {"verdict": "supported" if close else "partly",
            "evidence": f"{cat.display_name(model)} on {ARTICLE_DATE}: {_per_1k(blended)} blended — paid, "
                        f"{'near' if close else 'not near'} the article's $0.01/1K"}


def not_checkable(cat, reason: str, ratio: float = BLEND_RATIO) -> dict:
    """A claim the catalog cannot test; the register states why."""
    return {"verdict": "not checkable", "evidence": reason}


def load_register(cat) -> list[dict]:
    """The claims register (the snapshot's ``claims.yaml``), checked: each entry names a check in ``CHECKS``.

    Raises ``ValidationError`` naming the line of every unknown check.
    """
    from pricewar.data import schema, snapshot
    from pricewar.data.paths import relative

    entries = cat.claims
    unknown = [i for i, entry in enumerate(entries) if entry["check"] not in CHECKS]
    if unknown:
        path = cat.folder / snapshot.INPUT_FILES["claims"]
        _, lines = schema.entry_lines(path)
        raise ValidationError([schema.Problem(relative(path), lines[i]["check"], "check", entries[i]["check"],
                                              f"unknown check; known: {', '.join(sorted(CHECKS))}") for i in unknown])
    return entries


def evaluate_register(cat, topic: str | None = None, ratio: float = BLEND_RATIO, register: list[dict] | None = None) -> pd.DataFrame:
    """Every claim (of one topic notebook, or all) with its computed verdict and evidence.

    A check that fails to run gives verdict ``error`` with the exception, never a made-up verdict.
    """
    rows = []
    for entry in register or load_register(cat):
        if topic is not None and entry["topic"] != topic:
            continue
        try:
            result = CHECKS[entry["check"]](cat, ratio=ratio, **(entry.get("args") or {}))
        except Exception as exc:
            result = {"verdict": "error", "evidence": f"{type(exc).__name__}: {exc}"}
        rows.append({"id": entry["id"], "section": entry["section"], "topic": entry["topic"],
                     "claim": entry["quote"], **result})
    return pd.DataFrame(rows, columns=["id", "section", "topic", "claim", "verdict", "evidence"])


# The checks a claim of the register may name (``check:`` in claims.yaml), by name.
CHECKS = {check.__name__: check for check in (
    stable_2024_prices, gemini_q1_2025_cut, gpt4_level_price_today, red_line, tier_representative, gap_closing,
    open_models_free, small_matches_large, llama4_context, r1_discount, hybrid_strategy, gemini_paid, not_checkable)}
