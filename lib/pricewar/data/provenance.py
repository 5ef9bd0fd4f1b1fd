"""What kind of source a curated row cites: ``first-party`` (the provider's, creator's or benchmark
maker's own page or repository), ``archive`` (a dated archived copy of such a page, or a pinned
verbatim copy of its data) or ``secondary`` (a third party: a blog, a tracker, another project).

An executive expects the provider's own page; the data-sources appendix shows the share of each kind.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

__all__ = ["KINDS", "source_kind"]

KINDS = ["first-party", "archive", "secondary"]

# Domains of providers, creators and benchmark makers (a subdomain counts too).
FIRST_PARTY_DOMAINS = {
    "openai.com", "anthropic.com", "claude.com", "ai.google.dev", "cloud.google.com", "blog.google", "googleblog.com",
    "deepmind.google", "firebase.google.com", "storage.googleapis.com", "deepseek.com", "mistral.ai", "x.ai",
    "alibabacloud.com", "aliyun.com", "qwenlm.github.io", "llama.com", "meta.com", "moonshot.ai", "moonshot.cn",
    "kimi.com", "z.ai", "bigmodel.cn", "minimax.io", "minimaxi.com", "groq.com", "together.ai", "perplexity.ai",
    "upstage.ai", "inceptionlabs.ai", "mi.com", "xiaomimimo.com", "amazon.com", "aws.amazon.com", "nvidia.com",
    "lambda.ai", "runpod.io", "epoch.ai", "cohere.com", "ai21.com", "stepfun.com", "arxiv.org",
    "fb.com",  # Meta's newsroom, about.fb.com
}
# GitHub organisations that are a creator, a provider or a benchmark's own team.
FIRST_PARTY_ORGS = {
    "openai", "anthropics", "google", "google-gemini", "google-deepmind", "deepseek-ai", "mistralai", "xai-org",
    "qwenlm", "meta-llama", "facebookresearch", "moonshotai", "zai-org", "thudm", "minimax-ai", "epoch-research",
    "tiger-ai-lab", "nvidia",
}
ARCHIVE_DOMAINS = {"web.archive.org", "archive.org", "archive.ph", "archive.today", "archive.fo", "archive.is",
                   "megalodon.jp", "ghostarchive.org"}
# Pinned verbatim copies of a first-party dataset kept by a third party: repository -> what it copies.
KNOWN_COPIES = {"madhu24raj/bayes-llm-saturation": "Epoch AI Benchmarking Hub export",
                "General-Purpose-AI-Policy-Lab/benchmark-forecasting": "Epoch AI Benchmarking Hub export",
                "njsuthe/AI-Futures": "Epoch AI Capabilities Index export (data/raw/epoch_capabilities_index.csv)"}
_COMMIT = re.compile(r"/[0-9a-f]{40}/")


def source_kind(url: str) -> str:
    """``first-party``, ``archive`` or ``secondary`` for a source URL (see the module docstring)."""
    parsed = urlparse(str(url).strip())
    host = parsed.netloc.lower().removeprefix("www.")
    if not host:
        return "secondary"
    if host in ARCHIVE_DOMAINS:
        return "archive"
    if host in ("github.com", "raw.githubusercontent.com", "gist.github.com"):
        parts = [p for p in parsed.path.split("/") if p]
        org = parts[0].lower() if parts else ""
        if org in FIRST_PARTY_ORGS:
            return "first-party"
        repo = "/".join(parts[:2]).lower()
        if any(repo == copy.lower() for copy in KNOWN_COPIES) and _COMMIT.search(parsed.path + "/"):
            return "archive"
        return "secondary"
    if host.endswith("huggingface.co"):
        parts = [p for p in parsed.path.split("/") if p]
        if parts and parts[0] in ("collections", "datasets", "spaces"):  # the owner comes second
            parts = parts[1:]
        return "first-party" if parts and parts[0].lower() in FIRST_PARTY_ORGS | {"qwen", "deepseek-ai"} else "secondary"
    if any(host == domain or host.endswith("." + domain) for domain in FIRST_PARTY_DOMAINS):
        return "first-party"
    return "secondary"
