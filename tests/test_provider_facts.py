"""Facts of 2025–2026 read on the providers' own pages (or archived copies of them), checked against
the committed snapshot: list prices on a day, the version a name served, release dates, open
weights, retirements. Each row names its page; a change in data/ that contradicts one fails here.
"""

from __future__ import annotations

import pytest

from pricewar import errors
from pricewar.data import catalog
from pricewar.data.paths import PROJECT_ROOT

MISTRAL = "https://github.com/mistralai/platform-docs-public"  # the source of docs.mistral.ai, dated by commit
DEEPSEEK = "https://api-docs.deepseek.com/quick_start/pricing"
DEEPSEEK_LOG = "https://api-docs.deepseek.com/updates"
GOOGLE = "https://ai.google.dev/gemini-api/docs/pricing"  # read in a copy of 2026-03-30
GOOGLE_LOG = "https://ai.google.dev/gemini-api/docs/changelog"


@pytest.fixture(scope="module")
def cat():
    return catalog.load("latest", root=PROJECT_ROOT / "data" / "snapshots")


# model, day, input, output (USD per 1M tokens, the creator's own API), the version served, page
PRICES = [
    ("mistral-medium", "2025-06-01", 0.4, 2.0, "mistral-medium-2505", MISTRAL + " models/mistral-medium-3-25-05.ts"),
    ("mistral-medium", "2025-10-01", 0.4, 2.0, "mistral-medium-2508", MISTRAL + " docs/getting-started/models/overview.md@441e7e3"),
    ("mistral-medium", "2026-07-01", 1.5, 7.5, "mistral-medium-2604", MISTRAL + " models/mistral-medium-3-5-26-04.ts@cc58c11"),
    ("mistral-small", "2026-05-01", 0.15, 0.6, "mistral-small-2603", MISTRAL + " models/mistral-small-4-0-26-03.ts@94bd65f"),
    ("ministral-8b-latest", "2026-01-15", 0.15, 0.15, "ministral-8b-2512", MISTRAL + " models/ministral-3-8b-25-12.ts@4975b09"),
    ("ministral-3b-latest", "2026-01-15", 0.1, 0.1, "ministral-3b-2512", MISTRAL + " models/ministral-3-3b-25-12.ts@4975b09"),
    ("mistral-large-latest", "2025-10-01", 0.4, 2.0, "mistral-medium-2508", MISTRAL + " models/mistral-medium-3-1-25-08.ts@3712f32"),
    ("mistral-large-latest", "2026-01-15", 0.5, 1.5, "mistral-large-2512", MISTRAL + " models/mistral-large-3-25-12.ts@4975b09"),
    ("mistral-large-2512", "2026-01-01", 0.5, 1.5, "mistral-large-2512", MISTRAL + " models/mistral-large-3-25-12.ts"),
    ("mistral-small-2603", "2026-05-01", 0.15, 0.6, "mistral-small-2603", MISTRAL + " models/mistral-small-4-0-26-03.ts"),
    ("mistral-medium-2604", "2026-07-01", 1.5, 7.5, "mistral-medium-2604", MISTRAL + " models/mistral-medium-3-5-26-04.ts"),
    ("codestral", "2026-01-01", 0.3, 0.9, "codestral", MISTRAL + " models/codestral-25-08.ts"),
    ("magistral-medium", "2026-01-01", 2.0, 5.0, "magistral-medium", MISTRAL + " models/magistral-medium-1-2-25-09.ts"),
    ("devstral-medium-2507", "2026-01-01", 0.4, 2.0, "devstral-medium-2507", MISTRAL + " models/devstral-medium-1-0-25-07.ts"),
    ("deepseek-reasoner", "2025-03-01", 0.55, 2.19, "deepseek-r1", DEEPSEEK),
    ("deepseek-chat", "2025-09-10", 0.56, 1.68, "deepseek-v3.1", DEEPSEEK + " (V3.1 price list from 2025-09-05)"),
    ("deepseek-chat", "2026-05-01", 0.14, 0.28, "deepseek-v4-flash", DEEPSEEK + " (megalodon.jp copy of 2026-04-26)"),
    ("deepseek-v4-flash", "2026-08-20", 0.22, 0.66, "deepseek-v4-flash-0731", DEEPSEEK_LOG + " (off-peak, from 2026-08-16)"),
    ("deepseek-v4-pro", "2026-08-20", 0.66, 1.98, "deepseek-v4-pro", DEEPSEEK + " (off-peak, from 2026-08-16)"),
    ("deepseek-v4-flash", "2026-09-20", 0.15, 0.6, "deepseek-v4.1-flash", DEEPSEEK + " (V4.1-Flash off-peak, from 2026-09-10)"),
    ("gemini-3-flash-preview", "2026-03-30", 0.5, 3.0, "gemini-3-flash-preview", GOOGLE),
    ("gemini-3.1-pro-preview", "2026-03-30", 2.0, 12.0, "gemini-3.1-pro-preview", GOOGLE),
    ("gemini-2.5-flash", "2026-03-30", 0.3, 2.5, "gemini-2.5-flash", GOOGLE),
    ("gemini-2.5-pro", "2026-03-30", 1.25, 10.0, "gemini-2.5-pro", GOOGLE),
    ("gemini-2.5-flash-lite", "2026-03-30", 0.1, 0.4, "gemini-2.5-flash-lite", GOOGLE),
    ("gemini-3.1-flash-lite-preview", "2026-03-30", 0.25, 1.5, "gemini-3.1-flash-lite-preview", GOOGLE),
    ("gemini-3.5-flash-lite", "2026-09-10", 0.3, 2.5, "gemini-3.5-flash-lite", "https://ai.google.dev/gemini-api/docs/generate-content/whats-new-gemini-3.6"),
    ("gemini-3.7-flash", "2026-08-20", 0.75, 3.75, "gemini-3.7-flash", "https://ai.google.dev/gemini-api/docs/whats-new-gemini-3.7 (introductory)"),
    ("gemini-4-argon", "2026-11-15", 2.0, 10.0, "gemini-4-argon", "https://ai.google.dev/gemini-api/docs/generate-content/latest-model (introductory)"),
]


@pytest.mark.parametrize("model, day, inp, out, version, page", PRICES, ids=[f"{p[0]}@{p[1]}" for p in PRICES])
def test_list_price_and_version_served(cat, model, day, inp, out, version, page):
    price = cat.price_at(model, day)
    assert (price["input_usd_per_mtok"], price["output_usd_per_mtok"], price["version_id"]) == (inp, out, version), page


# model version, release date, open weights, page
RELEASES = [
    ("mistral-medium-2604", "2026-04-28", True, MISTRAL + " changelog/en/2026-04-28.mdx"),
    ("mistral-medium-2505", "2025-05-07", False, MISTRAL + " models/mistral-medium-3-25-05.ts (weights: [])"),
    ("mistral-medium-2508", "2025-08-12", False, MISTRAL + " docs/getting-started/models/overview.md@441e7e3"),
    ("mistral-small-2603", "2026-03-16", True, MISTRAL + " models/mistral-small-4-0-26-03.ts"),
    ("mistral-small-2503", "2025-03-17", True, MISTRAL + " models/mistral-small-3-1-25-03.ts (Apache 2.0)"),
    ("mistral-large-2512", "2025-12-02", True, MISTRAL + " models/mistral-large-3-25-12.ts (Apache 2.0)"),
    ("ministral-3b-2512", "2025-12-02", True, MISTRAL + " models/ministral-3-3b-25-12.ts"),
    ("ministral-3b", "2024-10-09", False, MISTRAL + " models/ministral-3b-24-1.ts (weights: [])"),
    ("deepseek-v3", "2024-12-26", True, DEEPSEEK_LOG),
    ("deepseek-r1", "2025-01-20", True, DEEPSEEK_LOG + "; github.com/deepseek-ai/DeepSeek-R1 (MIT)"),
    ("deepseek-v3.1", "2025-08-21", True, DEEPSEEK_LOG),
    ("deepseek-v3.2-exp", "2025-09-29", True, DEEPSEEK_LOG + "; github.com/deepseek-ai/DeepSeek-V3.2-Exp (MIT)"),
    ("deepseek-v3.2", "2025-12-01", True, DEEPSEEK_LOG),
    ("deepseek-v4-flash", "2026-04-24", True, DEEPSEEK_LOG),
    ("gemini-2.5-pro", "2025-06-17", False, GOOGLE_LOG),
    ("gemini-2.5-flash", "2025-06-17", False, GOOGLE_LOG),
    ("gemini-2.5-flash-lite", "2025-07-22", False, GOOGLE_LOG),
    ("gemini-3-flash-preview", "2025-12-17", False, GOOGLE_LOG),
    ("gemini-3.1-pro-preview", "2026-02-19", False, GOOGLE_LOG),
    ("gemini-3.5-flash", "2026-05-19", False, GOOGLE_LOG),
    ("gemini-3.6-flash", "2026-07-21", False, GOOGLE_LOG),
    ("gemini-3.7-flash", "2026-08-13", False, GOOGLE_LOG),
    ("gemini-4-argon", "2026-10-13", False, GOOGLE_LOG),
]


@pytest.mark.parametrize("model, released, open_weights, page", RELEASES, ids=[r[0] for r in RELEASES])
def test_release_date_and_open_weights(cat, model, released, open_weights, page):
    row = cat.models.set_index("model_id").loc[model]
    assert (row["release_date"].date().isoformat(), bool(row["open_weights"])) == (released, open_weights), page


# name, day it had no list price at its creator, retired on, replaced by
RETIRED = [
    ("deepseek-chat", "2026-08-01", "2026-07-24", "deepseek-v4-flash"),      # DeepSeek change log, 2026-04-24
    ("deepseek-reasoner", "2026-08-01", "2026-07-24", "deepseek-v4-flash"),
    ("gpt-4", "2026-11-01", "2026-10-23", "gpt-5.5"),                         # OpenAI deprecations page
    ("claude-3-haiku", "2026-05-01", "2026-04-20", "claude-haiku-4-5"),      # Anthropic model deprecations
    ("gemini-2.0-flash", "2026-07-01", "2026-06-01", "gemini-3.6-flash"),    # Gemini API deprecations
]


@pytest.mark.parametrize("model, day, retired, replacement", RETIRED, ids=[r[0] for r in RETIRED])
def test_a_retired_model_has_no_price_and_says_what_replaced_it(cat, model, day, retired, replacement):
    with pytest.raises(errors.NoPriceError, match=f"retired on {retired}.*replaced by {replacement}"):
        cat.price_at(model, day)
