"""Defaults named once: every signature and notebook that needs one of these uses the name.

Dates are ISO strings (``YYYY-MM-DD``); prices are USD per 1M tokens.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["BLEND_RATIO", "METRIC", "METRICS", "METRIC_RANGES", "SCORE_TOLERANCE", "GPT4_THRESHOLD_MODEL", "ANALYSIS_START", "ARTICLE_DATE", "HISTORY_DEPTH_DATE",
           "BEGINNING_OF_TIME", "END_OF_TIME"]

# Input tokens per output token in a blended price, (r·input + output)/(r + 1): the
# Artificial Analysis / Epoch AI convention.
BLEND_RATIO = 3.0
# The capability metric the reports use unless told otherwise (Epoch AI's GPQA Diamond, 0–100).
METRIC = "gpqa_diamond"
# Every capability metric a score may have: id -> what it is (percent correct, 0–100, unless METRIC_RANGES
# says otherwise), as in data/sources.yaml.
METRICS = {"gpqa_diamond": "GPQA Diamond, % correct", "mmlu": "MMLU, % correct", "mmlu_pro": "MMLU-Pro, % correct",
           "swe_bench_verified": "SWE-bench Verified, % resolved",
           "eci": "Epoch Capabilities Index (ECI), index points"}
# Metrics not on a 0–100 percentage scale: id -> (lowest, highest) plausible score.
METRIC_RANGES = {"eci": (0.0, 300.0)}
# Score points: a score this close below a bar still clears it (float noise, not a real gap).
SCORE_TOLERANCE = 1e-9
# "GPT-4 level": the original GPT-4's score is the bar.
GPT4_THRESHOLD_MODEL = "gpt-4-0314"
# The first day of the price war's history: GPT-4's launch month.
ANALYSIS_START = "2023-03-01"
# The history before the 2025-26 price war: how many models have a price before this day.
HISTORY_DEPTH_DATE = "2025-06-01"
# The article's date: its tier representatives and prices are checked on this day.
ARTICLE_DATE = "2026-04-01"
# Sentinels for open interval ends: before any price, and after any price (within pandas' Timestamp range).
BEGINNING_OF_TIME = dt.date(1900, 1, 1)
END_OF_TIME = dt.date(2200, 1, 1)
