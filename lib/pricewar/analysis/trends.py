"""How fast the price of a given capability falls, and which price moves drove it.

Prices are USD per 1M tokens. The blended price is (r·input + output)/(r+1) with
r input tokens per output token (r = 3 by default: the Artificial Analysis /
Epoch AI convention). Dates are pandas Timestamps (day precision).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pricewar.data import pricing
from pricewar.defaults import BEGINNING_OF_TIME, BLEND_RATIO, SCORE_TOLERANCE

__all__ = ["first_party_prices", "detect_price_cuts", "first_party_changes", "repricings", "set_aside",
           "score_periods", "latest_scores", "threshold_score", "cheapest_at_or_above", "price_changes_only", "fit_decline_rate", "decompose_fall",
           "flagship_prices", "month_starts", "published_anchors", "compare_with_anchors", "FLAGSHIP_CREATORS",
           "cheapest_by_threshold", "fit_by_threshold", "decline_periods", "decline_by_period", "flagship_change",
           "rate_phrase", "with_scores", "DAYS_PER_YEAR"]

DAYS_PER_YEAR = 365.25


def first_party_prices(cat) -> pd.DataFrame:
    """Price intervals on each model's creator's own API (the list prices)."""
    creator = cat.prices["model_id"].map(dict(zip(cat.models["model_id"], cat.models["creator"])))
    return cat.prices[cat.prices["host"] == creator]


def detect_price_cuts(prices: pd.DataFrame, min_cut_pct: float = 0.0, ratio: float = BLEND_RATIO,
                      classified: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every change of an existing model's list price at a host (``pricing.price_changes``), largest
    cut first, leaving out changes smaller than ``min_cut_pct`` percent of the blended price.
    Cuts and increases both appear (``kind``), each with its ``change_class``: use
    ``repricings`` for the providers' own price changes; ``classified`` is the catalog's
    ``classified_changes`` (what curated sources say a change was)."""
    changes = pricing.price_changes(prices, ratio, classified)
    return changes[changes["pct_change"].abs() >= min_cut_pct].reset_index(drop=True)


def first_party_changes(cat, min_cut_pct: float = 0.0, ratio: float = BLEND_RATIO) -> pd.DataFrame:
    """``detect_price_cuts`` of the creators' own list prices, classified with the catalog's curated
    ``classified_changes``."""
    return detect_price_cuts(first_party_prices(cat), min_cut_pct, ratio, getattr(cat, "classified_changes", None))


def repricings(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes that are a provider repricing the same model version (``change_class``)."""
    return changes[changes["change_class"] == "repricing"].reset_index(drop=True)


def set_aside(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes that are not repricings, counted by class (cuts and increases) with what each class means."""
    other = changes[changes["change_class"] != "repricing"]
    counts = other.groupby(["change_class", "kind"]).size().unstack("kind", fill_value=0)
    counts = counts.reindex(columns=["cut", "increase"], fill_value=0).reset_index()
    counts["meaning"] = counts["change_class"].map(pricing.CHANGE_CLASSES)
    return counts.astype({"cut": int, "increase": int})


_EARLIEST = pd.Timestamp(BEGINNING_OF_TIME)


def score_periods(scores: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Scores on ``metric`` with the day each starts to apply to its model id.

    An API name can move to a new version (``deepseek-chat`` was DeepSeek-V3,
    then V3.1): a score row applies from its ``applies_from`` (blank = from the
    start) until the next row of the same model. Among rows applying from the
    same day, the latest ``as_of`` wins.
    """
    rows = scores[scores["metric"] == metric].assign(
        applies_from=lambda f: f["applies_from"].fillna(_EARLIEST) if "applies_from" in f else _EARLIEST)
    rows = rows.sort_values(["model_id", "applies_from", "as_of"]).groupby(["model_id", "applies_from"]).tail(1)
    return rows[["model_id", "applies_from", "score"]].reset_index(drop=True)


def latest_scores(scores: pd.DataFrame, metric: str) -> pd.Series:
    """Each model's score on ``metric`` (0–100) as it applies today, indexed by model_id."""
    return score_periods(scores, metric).groupby("model_id")["score"].last()


def with_scores(live: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Attach to each (date, model, host) row the score of the version it served, in force on that
    date (rows without one drop out)."""
    joined = live.merge(periods.rename(columns={"model_id": "version_id"}), on="version_id")
    joined = joined[joined["applies_from"] <= joined["date"]]
    joined = joined.sort_values("applies_from").groupby(["date", "model_id", "host"], sort=False).tail(1)
    return joined


def threshold_score(cat, metric: str, threshold) -> float:
    """A threshold given as a number (a score) or a model name (that model's score)."""
    if isinstance(threshold, (int, float)) and not isinstance(threshold, bool):
        return float(threshold)
    model_id = cat.resolve(str(threshold))
    scores = latest_scores(cat.scores, metric)
    if model_id not in scores.index:
        raise KeyError(f"{model_id} has no {metric} score; models with one: {len(scores)}")
    return float(scores[model_id])


def cheapest_at_or_above(cat, metric: str, threshold, dates=None, ratio: float = BLEND_RATIO,
                         start=None, end=None, models: set | None = None,
                         periods: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each date, the cheapest model whose ``metric`` score is at least ``threshold``.

    ``threshold``: a score, or a model name whose score is the bar. An open-weights
    model counts at its cheapest host (the cheapest way to buy that capability); a
    closed model at its creator's own price where the creator sells it, because its
    resellers resell that API (a lower reseller price is a discount or a currency
    artefact, not the price of the capability). ``dates`` default to
    every day an eligible price starts or ends (Epoch AI's method: a price change
    is a new observation on its date), between ``start`` and ``end`` (default: the
    snapshot date, so an announced end is not an observation yet). Returns
    date, model_id, host, blended_usd_per_mtok, score and the version_id the name served
    (whose score it is); dates with no eligible price are left out. ``models`` limits the
    candidates to those model versions; ``periods`` replaces their score periods (default:
    ``score_periods`` of the catalog).
    """
    bar = threshold_score(cat, metric, threshold)
    periods = score_periods(cat.scores, metric) if periods is None else periods
    # keep every score period of a model that ever clears the bar: a later, lower score must
    # replace the earlier one on its day (the bar is applied after the score in force is found)
    periods = periods[periods["model_id"].isin(periods.loc[periods["score"] >= bar - SCORE_TOLERANCE, "model_id"])]
    if models is not None:
        periods = periods[periods["model_id"].isin(models)]
    prices = pricing.with_versions(cat.prices)
    prices = pricing.as_bought(prices[prices["version_id"].isin(periods["model_id"])], cat.models).copy()
    prices["blended_usd_per_mtok"] = pricing.blended_price(prices["input_usd_per_mtok"], prices["output_usd_per_mtok"], ratio)
    if dates is None:
        events = pd.concat([prices["start_date"], prices["end_date"].dropna(),
                            periods.loc[periods["applies_from"] > _EARLIEST, "applies_from"]])
        if start is not None:
            events = pd.concat([events, pd.Series([pd.Timestamp(start)])])  # the price in force on the first day
        dates = events.drop_duplicates().sort_values()
        end = cat.snapshot_date if end is None else end
    dates = pd.Series(pd.to_datetime(list(dates))).drop_duplicates().sort_values(ignore_index=True)
    if start is not None:
        dates = dates[dates >= pd.Timestamp(start)]
    if end is not None:
        dates = dates[dates <= pd.Timestamp(end)]
    columns = ["date", "model_id", "host", "blended_usd_per_mtok", "score", "version_id"]
    if prices.empty or dates.empty:
        return pd.DataFrame(columns=columns)
    return _cheapest_sweep(dates, _scored_pieces(prices, periods, bar), columns)


def _scored_pieces(prices: pd.DataFrame, periods: pd.DataFrame, bar: float) -> pd.DataFrame:
    """Each price interval cut where the score of the version it served changes (``applies_from``), with
    that score; only the pieces that clear ``bar``. ``start``/``end`` bound each piece (end NaT: open)."""
    periods = periods.sort_values(["model_id", "applies_from"]).assign(
        until=lambda f: f.groupby("model_id")["applies_from"].shift(-1))
    pieces = prices.merge(periods.rename(columns={"model_id": "version_id"}), on="version_id")
    pieces["start"] = pieces[["start_date", "applies_from"]].max(axis=1)
    pieces["end"] = pieces[["end_date", "until"]].min(axis=1)  # NaT where both are open
    open_or_after = pieces["end"].isna() | (pieces["end"] > pieces["start"])
    return pieces[open_or_after & (pieces["score"] >= bar - SCORE_TOLERANCE)]


def _cheapest_sweep(dates: pd.Series, pieces: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """For each date, the cheapest piece in force (``start <= date < end``), ties broken by model id and
    host: one sweep over the dates with a heap of the pieces started so far (expired ones are dropped
    when they reach the top), so the time grows with dates + pieces, not their product."""
    import heapq

    pieces = pieces.sort_values("start", kind="stable").reset_index(drop=True)
    starts = pieces["start"].to_numpy("datetime64[ns]")
    ends = pieces["end"].to_numpy("datetime64[ns]")
    keys = list(zip(pieces["blended_usd_per_mtok"], pieces["model_id"], pieces["host"]))
    heap, taken, rows, i = [], [], [], 0
    for day in dates.to_numpy("datetime64[ns]"):
        while i < len(pieces) and starts[i] <= day:
            heapq.heappush(heap, (*keys[i], i))
            i += 1
        while heap and not np.isnat(ends[heap[0][-1]]) and ends[heap[0][-1]] <= day:
            heapq.heappop(heap)
        if heap:
            taken.append(heap[0][-1])
            rows.append(day)
    best = pieces.iloc[taken].assign(date=pd.to_datetime(rows))
    return best[columns].reset_index(drop=True)


def price_changes_only(series: pd.DataFrame, value: str = "blended_usd_per_mtok") -> pd.DataFrame:
    """The rows of a step series where its value changes (the observations a fit uses)."""
    changed = series[value].ne(series[value].shift()).fillna(True)  # the first row (a nullable NA compare) counts
    return series[changed.astype(bool)].reset_index(drop=True)


def fit_decline_rate(points: pd.DataFrame, value: str = "blended_usd_per_mtok", date: str = "date",
                     confidence: float = 0.90) -> dict:
    """Log-linear fit of price against time.

    Returns ``factor_per_year`` (how many times cheaper per year: 4.0 means the
    price falls to a quarter each year), its ``ci_low``/``ci_high`` at
    ``confidence`` (t interval on the slope), ``r2``, ``n`` and the period.
    """
    from scipy import stats

    frame = points[[date, value]].dropna()
    frame = frame[frame[value] > 0]
    n = len(frame)
    if n < 3:
        raise ValueError(f"a decline rate needs at least 3 observations, got {n}")
    years = (frame[date] - frame[date].min()).dt.total_seconds().to_numpy() / 86400 / DAYS_PER_YEAR
    if np.ptp(years) == 0:
        raise ValueError("all observations are on one date")
    fit = stats.linregress(years, np.log10(frame[value].to_numpy()))
    t = stats.t.ppf(0.5 + confidence / 2, n - 2)
    slope_low, slope_high = fit.slope - t * fit.stderr, fit.slope + t * fit.stderr
    return {
        "factor_per_year": 10 ** (-fit.slope),
        "ci_low": 10 ** (-slope_high),
        "ci_high": 10 ** (-slope_low),
        "confidence": confidence,
        "r2": fit.rvalue ** 2,
        "n": n,
        "start": frame[date].min(),
        "end": frame[date].max(),
    }


def decompose_fall(series: pd.DataFrame, prices: pd.DataFrame) -> pd.DataFrame:
    """Split the fall of a cheapest-price series into repricing vs cheaper new models.

    Each drop of the series is attributed to ``new model`` when the newly
    cheapest model version got its first price (under any name, at any host) that day,
    to ``first observed`` when that first price starts on the day a source first saw it
    (``observed_from``: the model may have been on sale, at that price, long before), else
    to ``repricing`` (an existing model's price was cut). Returns each category's
    total fall in log10 units, as a factor (×) and as a share of the whole fall.
    """
    versioned = pricing.with_versions(prices).sort_values("start_date", kind="stable")
    first = versioned.drop_duplicates("version_id").set_index("version_id")
    observed = first["observed_from"].fillna(False) if "observed_from" in first else pd.Series(False, first.index)
    series = pricing.with_versions(series)
    steps = series.assign(previous=series["blended_usd_per_mtok"].shift())
    drops = steps[steps["previous"].notna() & (steps["blended_usd_per_mtok"] < steps["previous"])].copy()
    drops["log10_fall"] = np.log10(drops["previous"] / drops["blended_usd_per_mtok"])
    first_day = drops["version_id"].map(first["start_date"]) == drops["date"]
    seen = drops["version_id"].map(observed).fillna(False).astype(bool)
    drops["cause"] = np.select([first_day & seen, first_day], ["first observed", "new model"], "repricing")
    total = drops["log10_fall"].sum()
    out = drops.groupby("cause")["log10_fall"].agg(["sum", "count"]).reindex(
        ["repricing", "new model", "first observed"], fill_value=0)
    out = out.rename(columns={"sum": "log10_fall", "count": "drops"})
    out["factor"] = 10 ** out["log10_fall"]
    out["share_pct"] = 100 * out["log10_fall"] / total if total > 0 else math.nan
    return out.reset_index(names="cause")


def flagship_prices(cat, creators: list[str], metric: str, dates, ratio: float = BLEND_RATIO) -> pd.DataFrame:
    """Each creator's best-scoring model priced on each date, and its blended price.

    The creator's own API counts where it prices the model; otherwise the
    cheapest host (open-weights models of creators without an API of their own).
    A flagship never hands over to a model released before it: a model older than
    the newest flagship so far is not a candidate, and when only such models remain
    (the newer ones have no score) the creator's flagship is unknown: no row that day.
    """
    periods = score_periods(cat.scores, metric)
    creator_of = dict(zip(cat.models["model_id"], cat.models["creator"]))
    prices = pricing.with_versions(cat.prices)
    prices = prices[prices["version_id"].isin(periods["model_id"])].copy()
    prices["creator"] = prices["model_id"].map(creator_of)
    prices = pricing.as_bought(prices[prices["creator"].isin(creators)], cat.models, open_at_any_host=False)
    prices["blended_usd_per_mtok"] = pricing.blended_price(prices["input_usd_per_mtok"], prices["output_usd_per_mtok"], ratio)
    grid = pd.DataFrame({"date": pd.to_datetime(list(dates))}).merge(prices, how="cross")
    live = with_scores(pricing.in_force(grid, grid["date"]), periods)
    live = live.sort_values(["creator", "date", "score", "blended_usd_per_mtok"], ascending=[True, True, False, True])
    live["released"] = pd.to_datetime(live["version_id"].map(dict(zip(cat.models["model_id"], cat.models["release_date"]))))
    released = live["released"].to_numpy()
    picks, creator, newest = [], None, None  # newest: release date of the creator's newest flagship so far
    groups = live.groupby(["creator", "date"], sort=False).indices  # live is sorted by creator, then date
    for (group_creator, _), rows in sorted(groups.items(), key=lambda item: item[1][0]):
        if group_creator != creator:
            creator, newest = group_creator, None
        newer = np.isnat(released[rows]) if newest is not None else np.ones(len(rows), dtype=bool)
        if newest is not None:
            newer |= released[rows] >= newest  # an unknown release date is never excluded
        if not newer.any():
            continue
        pick = rows[newer.argmax()]
        picks.append(pick)
        if not np.isnat(released[pick]) and (newest is None or released[pick] > newest):
            newest = released[pick]
    best = live.iloc[picks]
    return best[["creator", "date", "model_id", "host", "score", "blended_usd_per_mtok", "version_id"]].reset_index(drop=True)


def month_starts(start, end) -> pd.DatetimeIndex:
    """First day of every month from ``start`` to ``end`` (inclusive)."""
    return pd.date_range(pd.Timestamp(start).to_period("M").to_timestamp(), pd.Timestamp(end), freq="MS")


def published_anchors(cat, unit: str | None = None) -> pd.DataFrame:
    """Published estimates (the snapshot's ``anchors.yaml``): who, finding, value low–high in ``unit``, url."""
    frame = cat.anchors
    return frame if unit is None else frame[frame["unit"] == unit].reset_index(drop=True)


def compare_with_anchors(fit: dict, anchors: pd.DataFrame, periods: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each published rate beside ours: over our whole window (``fit``) and, where the anchor was
    published inside it, on its own window (``periods``, from ``decline_by_period``: the row that
    ends on its publication day); does it fall inside our 90% interval there, and why the two
    differ (``differs_because`` in ``anchors.yaml``)."""
    out = anchors[["who", "finding", "value_low", "value_high", "unit", "url"]].copy()
    out["ours"] = fit["factor_per_year"]
    low, high = pd.Series(fit["ci_low"], index=out.index), pd.Series(fit["ci_high"], index=out.index)
    out["ours_their_window"] = math.nan
    if periods is not None and "published" in anchors:
        by_end = periods.dropna(subset=["factor_per_year"]).set_index("to_date")
        for idx, published in anchors["published"].items():
            if pd.notna(published) and pd.Timestamp(published) in by_end.index:
                row = by_end.loc[pd.Timestamp(published)]
                out.at[idx, "ours_their_window"] = row["factor_per_year"]
                low[idx], high[idx] = row["ci_low"], row["ci_high"]
    overlap = (out["value_low"] <= high) & (out["value_high"] >= low)
    window = out["ours_their_window"].notna().map({True: " on their window", False: ""})
    out["agrees"] = overlap.map({True: "within our 90% CI", False: "outside our 90% CI"}) + window
    out["differs_because"] = anchors["differs_because"].fillna("") if "differs_because" in anchors else ""
    return out[["who", "finding", "value_low", "value_high", "unit", "ours", "ours_their_window", "agrees",
                "differs_because", "url"]]


FLAGSHIP_CREATORS = ["openai", "anthropic", "google", "deepseek", "meta", "mistral", "alibaba", "xai"]


def cheapest_by_threshold(cat, metric: str, thresholds: list, start=None, end=None, ratio: float = BLEND_RATIO) -> pd.DataFrame:
    """``cheapest_at_or_above`` for several thresholds, stacked, with a ``threshold`` column; price changes only."""
    frames = []
    for threshold in thresholds:
        series = cheapest_at_or_above(cat, metric, threshold, ratio=ratio, start=start, end=end)
        frames.append(price_changes_only(series).assign(threshold=str(threshold)))
    return pd.concat(frames, ignore_index=True)


def fit_by_threshold(cat, curves: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The decline fit of each threshold's curve: ×/year, 90% CI, R², n, first and last price."""
    rows = []
    for threshold, curve in curves.groupby("threshold", sort=False):
        row = {"threshold": threshold, "threshold_score": threshold_score(cat, metric, threshold),
               "first_date": curve["date"].min(), "last_date": curve["date"].max(),
               "first_usd_per_mtok": curve["blended_usd_per_mtok"].iloc[0],
               "last_usd_per_mtok": curve["blended_usd_per_mtok"].iloc[-1]}
        try:
            fit = fit_decline_rate(curve)
            row.update({k: fit[k] for k in ("factor_per_year", "ci_low", "ci_high", "r2", "n")})
        except ValueError as exc:  # too few observations: say so instead of a number
            row.update({"factor_per_year": math.nan, "ci_low": math.nan, "ci_high": math.nan, "r2": math.nan,
                        "n": len(curve), "note": str(exc)})
        rows.append(row)
    return pd.DataFrame(rows)


def decline_periods(cat, curve: pd.DataFrame, anchor: str = "epoch-2025-gpt4-gpqa") -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """The windows the decline is shown on: the whole curve, the curve up to the publication of the
    published estimate ``anchor`` (``anchors.yaml``: Epoch AI's study), and the last 12 months."""
    first, last = curve["date"].min(), curve["date"].max()
    periods = [("whole window", first, last)]
    published = cat.anchors.set_index("id")["published"].get(anchor) if "id" in cat.anchors else None
    if published is not None and pd.notna(published) and first < pd.Timestamp(published) < last:
        who = cat.anchors.set_index("id").at[anchor, "who"]
        periods.append((f"to {who}'s study ({pd.Timestamp(published).date()})", first, pd.Timestamp(published)))
    periods.append(("last 12 months", last - pd.DateOffset(years=1), last))
    return periods


def decline_by_period(curve: pd.DataFrame, periods: list[tuple[str, pd.Timestamp, pd.Timestamp]]) -> pd.DataFrame:
    """The decline fit (``fit_decline_rate``: ×/year, 90% CI, n) of one threshold's price curve on each
    window; a window starts with the price in force on its first day. Too few changes: NaN and a note."""
    curve = curve.sort_values("date")
    rows = []
    for label, start, end in periods:
        start, end = pd.Timestamp(start), pd.Timestamp(end)
        inside = curve[(curve["date"] >= start) & (curve["date"] <= end)]
        before = curve[curve["date"] < start].tail(1).assign(date=start)
        points = inside if (inside["date"] == start).any() else pd.concat([before, inside], ignore_index=True)
        row = {"period": label, "from_date": start, "to_date": end}
        try:
            fit = fit_decline_rate(points)
            row.update({k: fit[k] for k in ("factor_per_year", "ci_low", "ci_high", "n")})
        except ValueError as exc:
            row.update({"factor_per_year": math.nan, "ci_low": math.nan, "ci_high": math.nan, "n": len(points),
                        "note": str(exc)})
        rows.append(row)
    return pd.DataFrame(rows)


def flagship_change(flagships: pd.DataFrame) -> pd.DataFrame:
    """Per creator: first and last flagship in the window, their prices, and the fall (×)."""
    rows = []
    for creator, frame in flagships.sort_values("date").groupby("creator"):
        first, last = frame.iloc[0], frame.iloc[-1]
        rows.append({"creator": creator, "first_date": first["date"], "first_model": first["model_id"],
                     "first_usd_per_mtok": first["blended_usd_per_mtok"], "last_date": last["date"],
                     "last_model": last["model_id"],
                     "last_usd_per_mtok": last["blended_usd_per_mtok"],
                     "times_cheaper": first["blended_usd_per_mtok"] / last["blended_usd_per_mtok"]})
    return pd.DataFrame(rows).sort_values("times_cheaper", ascending=False, ignore_index=True)


def rate_phrase(factor_per_year: float) -> str:
    """'fell 5.7× per year', 'rose 1.3× per year', or 'has no fitted rate' (NaN)."""
    if factor_per_year != factor_per_year:
        return "has no fitted rate (too few price changes)"
    if factor_per_year >= 1:
        return f"fell {factor_per_year:.1f}× per year"
    return f"rose {1 / factor_per_year:.1f}× per year"
