"""The data stage: from the installed data packages and the curated facts to a validated catalog.

``sources`` reads each package into tidy rows, ``build`` merges them with ``data/curated/`` by
precedence, ``refresh`` writes a dated, hashed snapshot (``snapshot``) after ``schema`` checked
every row, and ``catalog`` loads a snapshot back as DataFrames. ``pricing`` holds the rules of a
price (in force on a day, blended, and how a model is bought); ``coverage`` describes what a
catalog holds. Nothing here imports ``pricewar.analysis`` or ``pricewar.report``.

Submodules are imported on use, so ``import pricewar.data`` costs nothing.
"""
