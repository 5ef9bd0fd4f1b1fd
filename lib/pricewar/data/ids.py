"""Canonical model ids, creators and host ids across the data sources.

A canonical ``model_id`` is the creator's API name, lower-case, without a date
suffix (``gpt-4o``, ``claude-3-5-sonnet``, ``llama-3.1-405b``). Hosts are the
models.dev provider ids (``openai``, ``togetherai``, ``amazon-bedrock``); the
other packages' provider ids are mapped onto them.
"""

from __future__ import annotations

import re

__all__ = ["FIRST_PARTY_HOSTS", "canonical_host", "pricing_mode", "variant_base", "strip_date", "base_model_id", "slug",
           "org_prefix", "infer_creator", "HOST_ALIASES", "ORG_CREATORS"]

# genai-prices / model-prices provider ids that differ from models.dev's.
HOST_ALIASES = {
    "x-ai": "xai",
    "aws": "amazon-bedrock",
    "together": "togetherai",
    "fireworks": "fireworks-ai",
    "novita": "novita-ai",
    "cloudflare": "cloudflare-workers-ai",
    "llama": "meta",  # models.dev's "llama" provider is Meta's Llama API
    "nova": "amazon",
    "zhipuai": "zai",
    "stepfun-ai": "stepfun",
}

# Hosts that are the creator's own API, mapped to the creator id.
FIRST_PARTY_HOSTS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google": "google",
    "deepseek": "deepseek",
    "mistral": "mistral",
    "xai": "xai",
    "alibaba": "alibaba",
    "meta": "meta",
    "moonshotai": "moonshotai",
    "zai": "zai",
    "minimax": "minimax",
    "cohere": "cohere",
    "amazon": "amazon",
    "perplexity": "perplexity",
    "xiaomi": "xiaomi",
    "stepfun": "stepfun",
    "upstage": "upstage",
    "inception": "inception",
    "ai21": "ai21",
}

# Organisation prefixes in "org/model" ids (Hugging Face style) → creator.
ORG_CREATORS = {
    "meta-llama": "meta", "meta": "meta", "meta-models": "meta", "qwen": "alibaba",
    "alibaba": "alibaba", "deepseek-ai": "deepseek", "deepseek": "deepseek",
    "openai": "openai", "anthropic": "anthropic", "google": "google",
    "mistralai": "mistral", "mistral": "mistral", "moonshotai": "moonshotai",
    "zai-org": "zai", "thudm": "zai", "z-ai": "zai", "zai": "zai", "minimaxai": "minimax",
    "minimax": "minimax", "x-ai": "xai", "xai": "xai", "microsoft": "microsoft",
    "nvidia": "nvidia", "cohere": "cohere", "amazon": "amazon", "ai21": "ai21",
}

# First token of a model id → creator, for ids without an org prefix.
_FAMILY_CREATORS = [
    (r"gpt-oss|gpt-|o1|o3|o4|chatgpt|davinci|babbage|text-embedding|codex|whisper|tts-|dall-e|sora|omni-moderation", "openai"),
    (r"claude", "anthropic"),
    (r"gemini|gemma|imagen|veo|learnlm", "google"),
    (r"deepseek", "deepseek"),
    (r"llama|meta-llama|muse-", "meta"),
    (r"qwen|qwq|qvq", "alibaba"),
    (r"mistral|mixtral|codestral|devstral|magistral|ministral|pixtral|open-mistral|open-mixtral|voxtral", "mistral"),
    (r"grok", "xai"),
    (r"kimi|moonshot", "moonshotai"),
    (r"glm|chatglm", "zai"),
    (r"minimax", "minimax"),
    (r"command|c4ai|aya-", "cohere"),
    (r"nova-|amazon\.nova", "amazon"),
    (r"phi-", "microsoft"),
    (r"sonar", "perplexity"),
    (r"jamba", "ai21"),
    (r"doubao|seed-", "bytedance"),
    (r"mimo-", "xiaomi"),
    (r"step-", "stepfun"),
    (r"ernie", "baidu"),
    (r"hunyuan", "tencent"),
    (r"nemotron", "nvidia"),
    (r"granite", "ibm"),
    (r"mercury", "inception"),
    (r"solar", "upstage"),
]
_FAMILY_RE = [(re.compile(rf"^(?:{pattern})"), creator) for pattern, creator in _FAMILY_CREATORS]
# The same families after a host's prefix ("alibaba-qwen3-32b", "databricks-gpt-oss-120b");
# the short OpenAI o-series names are left out, they would match inside other names.
_FAMILY_INNER_RE = [(re.compile(rf"-(?:{pattern.replace('|o1|o3|o4', '')})"), creator)
                    for pattern, creator in _FAMILY_CREATORS]

# Date suffixes: -2024-08-06, -20240620, -0314 (MMDD), -251015 (YYMMDD), -latest.
_DATE_SUFFIX = re.compile(
    r"-(\d{4}-\d{2}-\d{2}|20\d{6}|(0[1-9]|1[0-2])\d{2}|2\d(0[1-9]|1[0-2])\d{2}|(0[1-9]|1[0-2])-20\d{2}|latest)$"
)
# Bedrock style "anthropic.claude-3-5-sonnet-20240620-v1:0", "apac.amazon.nova-lite-v1:0".
_REGION_PREFIX = re.compile(r"^(us|eu|apac|global|jp|au)\.")
_VENDOR_DOT_PREFIX = re.compile(r"^(anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer)\.")
_BEDROCK_VERSION = re.compile(r"-v\d+(:\d+)?$|:\d+$")
# Serving variants of open-weights checkpoints that do not change the model.
_SERVING_SUFFIX = re.compile(
    r"(-instruct-turbo|-instruct|-chat-hf|-hf|-fp8|-fp4|-nvfp4|-bf16|-tput|-versatile|-instant|-it"
    r"|-4096|-8192|-32768|-131072|:free|:beta|:nitro|:floor|:extended|:thinking)$"
)

# Ids that name a way of buying a model, not a model: list prices are a model's standard tier.
_PRICING_MODES = [
    (re.compile(r":batch$"), "batch-tier price"),
    (re.compile(r"^ft:"), "price of a fine-tuned copy"),
    (re.compile(r":peft$"), "price of serving a fine-tuned adapter (PEFT)"),
    (re.compile(r":web$"), "price with a web-search add-on"),
]

# Ids that serve a model in a mode rather than name another model: its reasoning or non-reasoning
# endpoint, a beta label, a "-latest" pointer, a ":thinking" switch, Google's stable "-001" build.
_VARIANT_SUFFIX = re.compile(r"(-non-reasoning|-reasoning|-beta|-latest|-00\d|:thinking)$")

_CLOSED_FAMILY = re.compile(r"^(gpt-[345]|chatgpt|claude|gemini-|grok)")


def canonical_host(provider_id: str) -> str:
    """Map a package's provider id to the project's host id (models.dev's)."""
    host = provider_id.strip().lower()
    return HOST_ALIASES.get(host, host)


def pricing_mode(model_id: str) -> str | None:
    """What a mode id prices (``gpt-4o-mini:batch`` → "batch-tier price"), or None for a model."""
    return next((what for pattern, what in _PRICING_MODES if pattern.search(model_id)), None)


def variant_base(model_id: str) -> str:
    """The model a mode id serves: ``grok-4-fast-non-reasoning`` → ``grok-4-fast``, ``grok-3-beta`` →
    ``grok-3``, ``gemini-2.0-flash-001`` → ``gemini-2.0-flash``; any other id is its own base."""
    previous = None
    while previous != model_id:
        previous, model_id = model_id, _VARIANT_SUFFIX.sub("", model_id)
    return model_id


def strip_date(model_id: str) -> str:
    """Remove one trailing date or ``-latest`` suffix: ``gpt-4o-2024-08-06`` → ``gpt-4o``."""
    return _DATE_SUFFIX.sub("", model_id)


def base_model_id(raw_id: str) -> str:
    """Lower-case id without org prefix, Bedrock decorations and serving suffixes.

    The date suffix is kept: whether a dated snapshot is its own model depends on
    its price (see ``pricewar.data.build.assign_model_ids``).
    """
    model = raw_id.strip().lower()
    model = model.rsplit("/", 1)[-1]
    model = re.sub(r"@default$", "", model).replace("@", "-")  # Vertex: claude-3-5-haiku@20241022
    model = _REGION_PREFIX.sub("", model)
    model = _VENDOR_DOT_PREFIX.sub("", model)
    model = _BEDROCK_VERSION.sub("", model)
    if not _CLOSED_FAMILY.match(model):  # "gpt-3.5-turbo-instruct" is its own model
        previous = None
        while previous != model:
            previous = model
            model = _SERVING_SUFFIX.sub("", model)
    return slug(_normalise_closed_versions(_normalise_llama(model)))


def slug(text: str) -> str:
    """Lower-case id: characters outside ``a-z 0-9 . _ : + -`` become ``-``."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9._:+-]", "-", text.strip().lower())).strip("-")


def _normalise_llama(model: str) -> str:
    """Spellings of one open model: ``meta-llama-3.1-405b``, ``llama3-1-70b``, ``llama3.1-8b`` →
    ``llama-3.1-…``; ``llama-4-maverick-17b-128e`` → ``llama-4-maverick``; ``qwen2-5-72b`` → ``qwen2.5-72b``."""
    model = re.sub(r"^meta-(?=llama)", "", model)
    model = re.sub(r"^llama(\d)", r"llama-\1", model)
    model = re.sub(r"^llama-(\d)-(\d)-(?=\d)", r"llama-\1.\2-", model)
    model = re.sub(r"^llama-4-(scout|maverick)-17b(-\d+e)?$", r"llama-4-\1", model)
    model = re.sub(r"^qwen(\d)-(\d)-", r"qwen\1.\2-", model)
    return model


def _normalise_closed_versions(model: str) -> str:
    """Hosts spell versions their own way; use the creator's: ``claude-3.5-sonnet``, ``claude-opus-4.1`` →
    ``claude-3-5-sonnet``, ``claude-opus-4-1`` (Claude 2.1 and Instant 1.2 keep their dot, as Anthropic's
    ids do), and ``claude-4-5-haiku`` → ``claude-haiku-4-5``, ``claude-haiku-3-5`` → ``claude-3-5-haiku``,
    ``claude-opus-4-0`` → ``claude-opus-4``;
    ``gpt-5-4-mini``, ``gemini-3-1-pro-preview``, ``grok-4-1-fast`` → ``gpt-5.4-mini``, … (a
    single-digit minor only, so ``gpt-4-0314`` and ``gpt-4-32k`` are left alone)."""
    if model.startswith("claude-"):
        model = re.sub(r"(?<![\d.])([3-9])\.(\d)(?![\d.])", r"\1-\2", model)
        # and order family and version as Anthropic does: claude-3-5-haiku, but claude-haiku-4-5
        model = re.sub(r"^claude-([4-9](?:-\d)?)-(opus|sonnet|haiku)(?=-|:|$)", r"claude-\2-\1", model)
        model = re.sub(r"^claude-(opus|sonnet|haiku)-(3(?:-\d)?)(?=-|:|$)", r"claude-\2-\1", model)
        return re.sub(r"^(claude-(?:opus|sonnet|haiku)-\d)-0(?=-|:|$)", r"\1", model)  # claude-opus-4-0
    return re.sub(r"^(gpt|gemini|grok)-(\d)-(\d)(?=-|:|$)", r"\1-\2.\3", model)


def org_prefix(raw_id: str) -> str | None:
    """The ``org`` of an ``org/model`` id, lower-case, or None."""
    if "/" not in raw_id:
        return None
    return raw_id.strip().lower().rsplit("/", 1)[0].split("/")[-1]


def infer_creator(raw_id: str, host: str) -> str:
    """Creator of a model: from its org prefix, its family name, or a first-party host.

    Returns "unknown" when none of these says; callers count such rows.
    """
    org = org_prefix(raw_id)
    if org in ORG_CREATORS:
        return ORG_CREATORS[org]
    base = base_model_id(raw_id)
    for pattern, creator in _FAMILY_RE:
        if pattern.match(base):
            return creator
    for pattern, creator in _FAMILY_INNER_RE:
        if pattern.search(base):
            return creator
    if host in FIRST_PARTY_HOSTS:
        return FIRST_PARTY_HOSTS[host]
    if org:
        return slug(org)
    return "unknown"
