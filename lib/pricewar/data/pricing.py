"""The rules of a price: the interval in force on a day, the blended price, what counts as a
price change, and the three ways the reports buy a model — each written once, here.

Prices are USD per 1M tokens. A price interval is ``[start_date, end_date)``; ``end_date`` is
NaT while the price is current.

The three buying policies, side by side:

1. ``creator_else_median`` — the price the catalog quotes (``Catalog.price_at``,
   ``Catalog.prices_on``, so the tier map, frontier and workload costs): the creator's own API
   where it prices the model that day, else the median across the hosts that do.
2. ``reference_timeline`` — what a usage log is billed at (``pricewar.analysis.usage``): one
   timeline per model, the creator's own API where it sells the model at all, else the host
   that priced it for the longest time.
3. ``as_bought`` — what a buyer of a capability pays (``pricewar.analysis.trends``): a closed
   model at its creator's price where the creator sells it (its resellers resell that API; a
   lower reseller price is a discount or a currency artefact), an open-weights model at any
   host (the cheapest way to buy that capability).

A price interval belongs to an API name at a host; its ``version_id`` is the model version the
name served then (``data/curated/versions.csv``). Openness, release date and scores are the
version's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pricewar.defaults import BLEND_RATIO

__all__ = ["DATED_CHANGE", "CHANGE_CLASSES", "in_force_mask", "in_force", "blended_price", "price_changes",
           "creator_else_median",
           "reference_timeline", "as_bought", "with_versions"]


def in_force_mask(prices: pd.DataFrame, day) -> pd.Series:
    """True for each interval of ``prices`` in force on ``day``: ``start_date <= day < end_date``.

    ``day`` is one date, or a column of ``prices`` (a Series aligned with it: each row's own day).
    """
    return (prices["start_date"] <= day) & (prices["end_date"].isna() | (prices["end_date"] > day))


def in_force(prices: pd.DataFrame, day) -> pd.DataFrame:
    """The intervals of ``prices`` in force on ``day`` (see ``in_force_mask``)."""
    return prices[in_force_mask(prices, day)]


def blended_price(input_usd_per_mtok, output_usd_per_mtok, ratio: float = BLEND_RATIO):
    """Blended USD per 1M tokens: (ratio·input + output)/(ratio + 1). Works on scalars and Series.

    ``ratio`` is input tokens per output token.
    """
    if ratio < 0:
        raise ValueError(f"ratio must be >= 0, got {ratio}")
    return (ratio * input_usd_per_mtok + output_usd_per_mtok) / (ratio + 1)


# A price change is dated when the row that starts it states its date: a curated row (its
# source_url), a genai-prices start-date constraint, or a model-prices entry marked "documented".
DATED_CHANGE = r"^dated price change|start basis: documented"

CHANGE_CLASSES = {
    "repricing": "the provider changed the price of the same model version, on a date a source states",
    "retarget": "the API name started serving another model version (data/curated/versions.csv)",
    "promotion": "a promotional or temporary price started or ended (a note says promotional, or the price "
                 "returned to its earlier level within 180 days)",
    "source_switch": "the new value comes from another source, and nothing dates a change",
    "unconfirmed": "a tracker saw a new value on its own date; no source dates or announces a change",
    # set only by data/curated/classified_changes.csv
    "region": "a price for another region or currency replaced the one shown (e.g. China-mainland CNY by international USD)",
    "tiering": "another tier's price replaced the one shown (peak/off-peak, context length, text vs image tokens)",
}


def price_changes(prices: pd.DataFrame, ratio: float = BLEND_RATIO,
                  classified: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every change of an existing model's price at a host, largest cut first, with what it was.

    A change is a new interval, starting the day the previous interval of the same
    (model_id, host) ended, whose input or output price differs from it (after a gap in the
    data nothing says when, or whether, the price changed). ``pct_change`` is the change of
    the blended price in percent (negative = cut; ``kind`` says cut or increase).
    ``change_class`` says what the change was (``CHANGE_CLASSES``, tested in that order after
    retarget: a name that moved, a promotion, a source switch, an undated observation); only a
    ``repricing`` is a provider changing a price. ``source_changed`` marks changes between two
    sources; ``old_version_id`` and ``version_id`` the versions before and after.
    ``classified`` (the catalog's ``classified_changes``: model_id, host, date, change_class)
    overrides the rules where a curated source says what a change was.
    """
    prices = with_versions(prices)
    ordered = prices.sort_values(["model_id", "host", "start_date"])
    previous = ordered.groupby(["model_id", "host"])[["input_usd_per_mtok", "output_usd_per_mtok", "end_date",
                                                      "source", "version_id", "note"]].shift()
    contiguous = previous["end_date"].notna() & (previous["end_date"] == ordered["start_date"])
    changed = contiguous & (
        (ordered["input_usd_per_mtok"] != previous["input_usd_per_mtok"])
        | (ordered["output_usd_per_mtok"] != previous["output_usd_per_mtok"]))
    rows = ordered[changed]
    old = previous[changed]
    out = pd.DataFrame({
        "date": rows["start_date"], "model_id": rows["model_id"], "host": rows["host"],
        "old_input_usd_per_mtok": old["input_usd_per_mtok"], "old_output_usd_per_mtok": old["output_usd_per_mtok"],
        "new_input_usd_per_mtok": rows["input_usd_per_mtok"], "new_output_usd_per_mtok": rows["output_usd_per_mtok"],
    })
    out["old_blended_usd_per_mtok"] = blended_price(out["old_input_usd_per_mtok"], out["old_output_usd_per_mtok"], ratio)
    out["new_blended_usd_per_mtok"] = blended_price(out["new_input_usd_per_mtok"], out["new_output_usd_per_mtok"], ratio)
    out["pct_change"] = 100 * (out["new_blended_usd_per_mtok"] / out["old_blended_usd_per_mtok"] - 1)
    out["kind"] = np.where(out["pct_change"] < 0, "cut", "increase")
    out["source"], out["source_url"], out["note"] = rows["source"], rows["source_url"], rows["note"]
    out["source_changed"] = rows["source"] != old["source"]
    out["old_version_id"], out["version_id"] = old["version_id"], rows["version_id"]
    out["change_class"] = _change_class(rows, old, _temporary(ordered).loc[rows.index])
    if classified is not None and len(classified):
        said = classified.set_index(["model_id", "host", "date"])["change_class"]
        keys = pd.MultiIndex.from_frame(out[["model_id", "host", "date"]])
        out["change_class"] = pd.Series(said.reindex(keys).to_numpy(), index=out.index).fillna(out["change_class"])
    return out.sort_values(["pct_change", "date", "model_id"], ignore_index=True)


TEMPORARY_DAYS = 180  # a price that comes back within this many days was temporary


def _temporary(ordered: pd.DataFrame) -> pd.Series:
    """True for each interval (of ``ordered``, sorted by model, host and start) whose start is a
    step of a temporary price: the same version's price left a level and came back to it within
    ``TEMPORARY_DAYS`` (a launch discount that ended, a tracker's one-day flip)."""
    flags = np.zeros(len(ordered), dtype=bool)
    inp, out = ordered["input_usd_per_mtok"].to_numpy(), ordered["output_usd_per_mtok"].to_numpy()
    days = ordered["start_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    for rows in ordered.groupby(["model_id", "host", "version_id"], sort=False).indices.values():
        if len(rows) < 3:
            continue
        levels = list(zip(inp[rows].tolist(), out[rows].tolist()))
        starts = days[rows].tolist()
        for a in range(len(levels)):
            for b in range(a + 2, len(levels)):
                if starts[b] - starts[a + 1] > TEMPORARY_DAYS:
                    break
                if levels[b] == levels[a]:
                    flags[rows[a + 1:b + 1]] = True  # every step from leaving to coming back
    return pd.Series(flags, index=ordered.index)


def _change_class(rows: pd.DataFrame, old: pd.DataFrame, temporary: pd.Series) -> np.ndarray:
    """What each change was (``CHANGE_CLASSES``), first rule that applies."""
    dated = (rows["source"] == "curated") | rows["note"].fillna("").str.contains(DATED_CHANGE)
    promotional = (rows["note"].fillna("").str.contains("promotional", case=False)
                   | old["note"].fillna("").str.contains("promotional", case=False) | temporary)
    return np.select([rows["version_id"] != old["version_id"], promotional,
                      (rows["source"] != old["source"]) & ~dated, ~dated],
                     ["retarget", "promotion", "source_switch", "unconfirmed"], default="repricing")


def creator_else_median(prices: pd.DataFrame, models: pd.DataFrame, day, ratio: float = BLEND_RATIO) -> pd.DataFrame:
    """Policy 1: every model's price on ``day``, one row per model (models without one are left out).

    The creator's own API where it prices the model that day, else the only host's price (with
    its source), else the median across the hosts that do (``host`` is then "median of N",
    ``source`` "median of hosts"). Adds
    ``blended_usd_per_mtok`` at ``ratio``, ``creator``, the ``version_id`` the name served
    that day, and that version's name, open_weights, reasoning and release_date. Sorted by model_id.
    """
    live = in_force(with_versions(prices), day)
    creator = models.set_index("model_id")["creator"]
    live = live.assign(creator=live["model_id"].map(creator))
    own = live[live["host"] == live["creator"]].drop_duplicates("model_id")
    rest = live[~live["model_id"].isin(own["model_id"])]
    one_host = rest.groupby("model_id")["host"].transform("nunique") == 1  # its own row, with its source
    single, rest = rest[one_host].drop_duplicates("model_id"), rest[~one_host]
    median = rest.groupby("model_id").agg(
        input_usd_per_mtok=("input_usd_per_mtok", "median"), output_usd_per_mtok=("output_usd_per_mtok", "median"),
        cached_input_usd_per_mtok=("cached_input_usd_per_mtok", "median"), hosts=("host", "nunique"),
        creator=("creator", "first"), version_id=("version_id", "first")).reset_index()
    median["host"] = "median of " + median["hosts"].astype(str)
    median["source"], median["source_url"] = "median of hosts", ""
    columns = ["model_id", "creator", "host", "input_usd_per_mtok", "output_usd_per_mtok",
               "cached_input_usd_per_mtok", "source", "source_url", "version_id"]
    table = pd.concat([own[columns], single[columns], median[columns]], ignore_index=True)
    table["blended_usd_per_mtok"] = blended_price(table["input_usd_per_mtok"], table["output_usd_per_mtok"], ratio)
    flags = models.set_index("model_id")[["name", "open_weights", "reasoning", "release_date"]]
    table = table.join(flags, on="version_id")
    return table.sort_values("model_id", ignore_index=True)


def reference_timeline(prices: pd.DataFrame, models: pd.DataFrame, snapshot_date) -> pd.DataFrame:
    """Policy 2: one price timeline per model — the creator's own API where it has one, else the
    host that priced the model for the longest time up to ``snapshot_date`` (named in ``host``)."""
    creator = prices["model_id"].map(models.set_index("model_id")["creator"])
    own = prices[prices["host"] == creator]
    rest = prices[~prices["model_id"].isin(own["model_id"])].copy()
    end = rest["end_date"].fillna(pd.Timestamp(snapshot_date))
    rest["days"] = (end - rest["start_date"]).dt.days
    coverage = rest.groupby(["model_id", "host"])["days"].sum().reset_index()
    best = coverage.sort_values(["model_id", "days", "host"], ascending=[True, False, True]).drop_duplicates("model_id")
    rest = rest.merge(best[["model_id", "host"]], on=["model_id", "host"])
    columns = ["model_id", "host", "start_date", "end_date", "input_usd_per_mtok", "output_usd_per_mtok",
               "cached_input_usd_per_mtok"]
    return pd.concat([own[columns], rest[columns]], ignore_index=True)


def as_bought(prices: pd.DataFrame, models: pd.DataFrame, open_at_any_host: bool = True) -> pd.DataFrame:
    """Policy 3: drop a model's other hosts when its creator sells it; an open-weights model keeps
    every host if ``open_at_any_host``."""
    info = models.set_index("model_id")
    at_creator = prices["host"] == prices["model_id"].map(info["creator"])
    keep = at_creator | ~prices["model_id"].isin(prices.loc[at_creator, "model_id"])
    if open_at_any_host and "open_weights" in info:
        keep |= with_versions(prices)["version_id"].map(info["open_weights"]).fillna(False).astype(bool)
    return prices[keep]


def with_versions(prices: pd.DataFrame) -> pd.DataFrame:
    """``prices`` with a ``version_id`` column (the catalog's have one; a bare frame serves its own name)."""
    return prices if "version_id" in prices else prices.assign(version_id=prices["model_id"])
