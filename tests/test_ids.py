import pytest

from pricewar.data import ids


@pytest.mark.parametrize("raw, expected", [
    ("gpt-4o-2024-08-06", "gpt-4o"),
    ("claude-3-5-sonnet-20240620", "claude-3-5-sonnet"),
    ("gpt-4-0314", "gpt-4"),
    ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
    ("grok-2-1212", "grok-2"),
    ("gpt-4-1106-preview", "gpt-4-1106-preview"),
    ("llama3-70b-8192", "llama3-70b-8192"),  # 8192 is a context size, not a date
    ("mistral-large-2411", "mistral-large-2411"),  # Mistral's YYMM is not stripped
])
def test_strip_date(raw, expected):
    assert ids.strip_date(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama-3.3-70b"),
    ("meta-llama/Meta-Llama-3.1-405B-Instruct", "llama-3.1-405b"),
    ("llama3.1-8b", "llama-3.1-8b"),
    ("meta.llama3-1-70b-instruct-v1:0", "llama-3.1-70b"),
    ("anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet-20240620"),
    ("apac.amazon.nova-lite-v1:0", "nova-lite"),
    ("claude-3-5-haiku@20241022", "claude-3-5-haiku-20241022"),
    ("google/gemma-4-31B-it", "gemma-4-31b"),
    ("openai/gpt-oss-120b:free", "gpt-oss-120b"),
    ("gpt-3.5-turbo-instruct", "gpt-3.5-turbo-instruct"),  # a closed model's -instruct is its own model
    ("Qwen/Qwen3-235B-A22B-Instruct-2507-tput", "qwen3-235b-a22b-instruct-2507"),
    # hosts' spellings of closed models' versions become the creator's
    ("anthropic/claude-3.5-sonnet", "claude-3-5-sonnet"),
    ("anthropic/claude-opus-4.1", "claude-opus-4-1"),
    ("claude-4.5-haiku", "claude-haiku-4-5"),
    ("claude-haiku-3.5", "claude-3-5-haiku"),
    ("claude-opus-4-0", "claude-opus-4"),
    ("claude-2.1", "claude-2.1"),  # Anthropic's own id keeps the dot
    ("gpt-5-4-mini", "gpt-5.4-mini"),
    ("gemini-3-1-pro-preview", "gemini-3.1-pro-preview"),
    ("grok-4-1-fast", "grok-4.1-fast"),
    ("gpt-4-0314", "gpt-4-0314"),  # a date, not a minor version
    ("gpt-4-32k", "gpt-4-32k"),
])
def test_base_model_id(raw, expected):
    assert ids.base_model_id(raw) == expected


@pytest.mark.parametrize("raw, host, creator", [
    ("gpt-4o", "azure", "openai"),
    ("claude-3-5-haiku", "google", "anthropic"),
    ("meta-llama/Llama-3.3-70B-Instruct", "togetherai", "meta"),
    ("Qwen/Qwen3-32B", "groq", "alibaba"),
    ("alibaba-qwen3-32b", "digitalocean", "alibaba"),
    ("sonar-pro", "perplexity", "perplexity"),
    ("mystery-model", "somehost", "unknown"),
    ("thedrummer/anubis-70b", "openrouter", "thedrummer"),
])
def test_infer_creator(raw, host, creator):
    assert ids.infer_creator(raw, host) == creator


def test_canonical_host_maps_package_ids_onto_models_dev():
    assert ids.canonical_host("x-ai") == "xai"
    assert ids.canonical_host("together") == "togetherai"
    assert ids.canonical_host("openai") == "openai"


@pytest.mark.parametrize("model_id, mode", [
    ("gpt-4o-mini:batch", "batch-tier price"), ("ft:gpt-4o", "price of a fine-tuned copy"),
    ("inkling-small:peft", "price of serving a fine-tuned adapter (PEFT)"), ("claude-opus-4.6:thinking", None),
    ("gpt-4o", None),
])
def test_pricing_mode_names_ids_that_are_a_way_of_buying_a_model(model_id, mode):
    assert ids.pricing_mode(model_id) == mode
