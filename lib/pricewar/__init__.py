"""pricewar: a dated, sourced catalog of LLM models, API prices and capability scores.

Submodules are imported on use (``from pricewar import catalog``) so that
``import pricewar`` stays fast; see ``bench/bench_import.py``.
"""

__version__ = "0.1.0"
