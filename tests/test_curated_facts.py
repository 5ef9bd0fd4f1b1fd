"""Spot checks: dated list prices the reports rely on, read from the committed snapshot.

Each expected value is the provider's published price on that day (the curated row's
source_url says where); a change in data/ that moves one of them fails here.
"""

from __future__ import annotations

import pytest

from pricewar.data import catalog
from pricewar.data.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def cat():
    return catalog.load("latest", root=PROJECT_ROOT / "data" / "snapshots")


# model, day, host (None = creator's API), input, output — USD per 1M tokens
FACTS = [
    ("gpt-4", "2023-06-01", None, 30.0, 60.0),
    ("gpt-3.5-turbo", "2023-03-15", None, 2.0, 2.0),
    ("gpt-3.5-turbo", "2023-07-01", None, 1.5, 2.0),
    ("gpt-3.5-turbo", "2024-03-01", None, 0.5, 1.5),
    ("gpt-4-turbo", "2024-05-01", None, 10.0, 30.0),
    ("gpt-4o", "2024-06-01", None, 5.0, 15.0),
    ("gpt-4o", "2024-11-01", None, 2.5, 10.0),
    ("gpt-4o-2024-05-13", "2024-11-01", None, 5.0, 15.0),
    ("o3", "2025-05-01", None, 10.0, 40.0),
    ("o3", "2025-07-01", None, 2.0, 8.0),
    ("claude-3-opus", "2024-04-01", None, 15.0, 75.0),
    ("claude-3-5-sonnet", "2024-07-01", None, 3.0, 15.0),
    ("gemini-1.5-pro", "2024-06-15", None, 3.5, 10.5),
    ("gemini-1.5-pro", "2024-11-01", None, 1.25, 5.0),
    ("gemini-1.5-flash", "2024-07-01", None, 0.35, 1.05),
    ("gemini-1.5-flash", "2024-09-01", None, 0.075, 0.3),
    ("deepseek-chat", "2025-01-15", None, 0.14, 0.28),
    ("deepseek-chat", "2025-03-01", None, 0.27, 1.10),
    ("deepseek-reasoner", "2025-02-01", None, 0.55, 2.19),
    ("mistral-large", "2024-03-01", None, 8.0, 24.0),
    ("mistral-large", "2024-10-01", None, 2.0, 6.0),
    ("o1-mini", "2025-03-01", None, 1.1, 4.4),
]


@pytest.mark.parametrize("model, day, host, input_usd, output_usd", FACTS)
def test_list_price_on_day(cat, model, day, host, input_usd, output_usd):
    price = cat.price_at(model, day, host=host)
    assert (price["input_usd_per_mtok"], price["output_usd_per_mtok"]) == (input_usd, output_usd)
    assert price["source"] == "curated" and price["source_url"].startswith("https://")


def test_history_starts_in_march_2023(cat):
    assert cat.prices.loc[cat.prices["source"] == "curated", "start_date"].min().date().isoformat() == "2023-03-01"


def test_gpt_4_0314_has_a_gpqa_diamond_score(cat):
    scores = cat.scores[(cat.scores["model_id"] == "gpt-4-0314") & (cat.scores["metric"] == "gpqa_diamond")]
    assert len(scores) == 1 and 25 <= scores["score"].iloc[0] <= 45


def test_coverage_of_the_curated_history(cat):
    from pricewar.data import coverage

    numbers = coverage.catalog_summary(cat)
    assert numbers["models_with_curated_launch_price"] >= 80
    assert numbers["documented_price_changes"] >= 30  # curated, and package changes whose date a source states
    assert numbers["earliest_curated_price_date"] == "2023-03-01"
    assert numbers["models_with_scores_by_metric"]["gpqa_diamond"] >= 60


def test_every_curated_price_row_cites_a_web_page(cat):
    curated = cat.prices[cat.prices["source"] == "curated"]
    assert curated["source_url"].str.match(r"^https?://").all()


def test_unscored_models_say_why(cat):
    unscored = cat.manifest["unscored"]
    assert unscored and all(len(reason) > 20 for reason in unscored.values())
    assert not set(unscored) & set(cat.scores["model_id"])  # an exemption is only for models without a score
