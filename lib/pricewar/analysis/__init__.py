"""The analysis stage: one module per question, each a set of pure functions of a ``Catalog``.

``trends`` (how fast the price of a capability falls, and which moves drove it), ``tiers``
(price tiers), ``frontier`` (the price–capability frontier), ``openness`` (open vs closed),
``strategy`` (what a workload costs, mixes, self-hosting), ``usage`` (a usage log priced and
repriced), ``claims`` (the article's claims checked), ``diff`` (what changed between two
snapshots) and ``headlines`` (the executive summary's numbers). It reads only
``pricewar.data``; it never imports ``pricewar.report``.

Submodules are imported on use, so ``import pricewar.analysis`` costs nothing.
"""
