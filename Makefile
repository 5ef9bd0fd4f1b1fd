# The README's commands: `make reports` and `make test` set up everything they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
KERNEL := $(VENV)/share/jupyter/kernels/pricewar/kernel.json

.PHONY: setup test reports lab clean-venv

setup: $(STAMP) $(KERNEL)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalled only when the project's declared dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The kernel the notebooks name ("pricewar"), installed inside the venv.
$(KERNEL): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name pricewar --display-name "Python (pricewar)" >/dev/null

# pytest exits 5 when it collected no tests: that is a failure, not a pass. Two workers
# (pytest-xdist), a test file or a notebook per worker at a time (--dist loadfile): a module's
# fixtures (a shared run, a browser) are built once, and a notebook's nbval cells run in order.
# Files go out longest first (tests/conftest.py: LONGEST_FIRST), not in xdist's own order.
TEST_WORKERS ?= 2
test: setup
	@$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder tests notebooks; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; exit $$status

reports: setup
	$(BIN)/pricewar run

# JupyterLab gets its own venv: beside the runner it slows every process that imports
# jsonschema by ~1 s (see pyproject.toml's lab extra). It finds the project's kernel through JUPYTER_PATH.
LAB := .venv-lab
$(LAB)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LAB)
	$(LAB)/bin/python -m pip install --quiet -e '.[lab]'
	touch $@

lab: setup $(LAB)/.installed
	JUPYTER_PATH=$(CURDIR)/$(VENV)/share/jupyter $(LAB)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

clean-venv:
	rm -rf $(VENV) $(LAB)
