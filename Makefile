# Two commands do everything on a fresh machine with Python 3.10+:
#   make report   build the environment, the data and every export
#   make test     lint and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help env data check report test lint format lab bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# The project's kernel: in .venv (what this environment's Jupyter uses first), and for the user
	@# so Jupyter clients of other environments (nbmake, a system Lab) find it by name too.
	$(BIN)/python -m ipykernel install --sys-prefix --name gaoxin --display-name "Python (gaoxin)" >/dev/null
	$(BIN)/python -m ipykernel install --user --name gaoxin --display-name "Python (gaoxin)" >/dev/null
	@# Strip notebook outputs when they are staged (.gitattributes names the filter); the command is
	@# relative because git runs it from the top of the work tree, where this .venv is.
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean "$(BIN)/python -m nbstripout --keep-id" && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv "$(BIN)/python -m nbstripout --keep-id -t"; fi
	touch $@

env: $(STAMP)  ## create .venv and install the pinned dependencies and gaoxin (editable)

data: $(STAMP)  ## extract the article into data/processed (writes only what changed)
	$(BIN)/python -m gaoxin extract

check: $(STAMP)  ## provenance and coverage of the extracted data
	$(BIN)/python -m gaoxin check

report: $(STAMP)  ## build data and every export into exports/ (incremental; instant when nothing changed)
	$(BIN)/python -m gaoxin report

test: $(STAMP)  ## lint, then every test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

format: $(STAMP)  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lab: $(STAMP)  ## open the notebooks in JupyterLab (project kernel; Chinese in the bundled font)
	$(BIN)/python -m gaoxin.lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)  ## benchmark the report build against naive nbconvert runs
	$(BIN)/python -m gaoxin bench

clean:  ## remove everything the build makes: exports, article profiles, the cache, publish leftovers (keeps .venv)
	rm -rf exports/html exports/walkthrough exports/pdf exports/student exports/figures \
	  exports/data exports/index.html exports/article.html exports/facts.html \
	  exports/teacher.html .cache .exports-staging-* .exports-ready-* .exports-old-* \
	  exports/.*-staging-* exports/.*-ready-* exports/.*-old-* exports/.gaoxin-staging-*
	@# Article profiles (build --article): a folder of exports/ holding the profile's page.
	for d in exports/*/; do if [ -f "$$d/html/article_profile.html" ]; then rm -rf "$$d"; fi; done
