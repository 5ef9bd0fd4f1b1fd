"""pricewar: a dated, sourced catalog of LLM models, API prices and capability scores.

The package is its data flow: ``pricewar.data`` (sources → build → snapshot → catalog),
``pricewar.analysis`` (one module per question), ``pricewar.report`` (charts, pages, runner),
with the ``pricewar`` command (``pricewar.cli``) on top. Submodules are imported on use
(``from pricewar.data import catalog``) so that ``import pricewar`` stays fast; see
``bench/bench_load.py``.
"""

__version__ = "0.1.0"
