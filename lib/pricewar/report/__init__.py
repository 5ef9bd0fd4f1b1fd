"""The report stage: charts, what a notebook records, HTML pages, the run's index and the runner.

``charts`` builds Altair charts and shows them offline, ``record`` carries a notebook's
headline numbers to the index, ``html`` turns an executed notebook into a self-contained page,
``index`` writes the run's index page, and ``runner`` executes ``reports.yaml`` with papermill
into a dated run folder. It may use ``pricewar.data`` and ``pricewar.analysis``.

Submodules are imported on use, so ``import pricewar.report`` costs nothing.
"""
