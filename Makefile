# Two commands do everything on a fresh machine with Python 3.10+:
#   make report   build the environment, the data and every export
#   make test     lint and run every test
#   make env PYTHON=python3.13   choose the Python (3.10 to 3.13); naming another rebuilds .venv
#                                (later commands without PYTHON keep the Python .venv was made with)
PYTHON ?= python3
# Python keeps compiled modules (__pycache__/, ignored by git): with PYTHONDONTWRITEBYTECODE set,
# as some container images set it, every kernel, build worker and test process would compile
# the package and the tests again (pytest's collection alone: 7 s instead of 2.6 s).
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# What .venv was made for: this folder and this Python. When either differs (a copied or moved
# checkout, another PYTHON=...), .venv is made again from scratch: a copy never runs the
# original's environment, and one Python's packages never meet another's.
ENV_ID = $(CURDIR) $(shell $(PYTHON) -c 'import sys; print(sys.executable, sys.version.split()[0])' 2>/dev/null)
ENV_ID_FILE := $(VENV)/.env-id
RECORDED_ID := $(strip $(file < $(ENV_ID_FILE)))
# PYTHON not given: keep the Python .venv was made with, while it exists, and ask no Python which
# one it is (a pyenv shim alone takes a tenth of a second, on every make command).
ifeq ($(origin PYTHON),file)
ifneq ($(and $(filter $(CURDIR),$(firstword $(RECORDED_ID))),$(wildcard $(word 2,$(RECORDED_ID)))),)
PYTHON := $(word 2,$(RECORDED_ID))
ENV_ID := $(RECORDED_ID)
endif
endif
ifneq ($(RECORDED_ID),$(strip $(ENV_ID)))
$(STAMP): env-changed
endif
LAB_ARGS ?=
# Prints the installed distributions that requirements.lock does not name (pip and the project aside).
LOCK_EXTRA_PY := import re, importlib.metadata as m; \
  key = lambda n: re.sub(r"[-_.]+", "-", n).lower(); \
  text = open("requirements.lock", encoding="utf-8").read(); \
  keep = {key(n) for n in re.findall(r"^([A-Za-z0-9][^=\s]*)==", text, re.M)}; \
  keep |= {"pip", "setuptools", "wheel", "gaoxin"}; \
  names = {d.metadata["Name"] for d in m.distributions()} - {None}; \
  print(" ".join(sorted(n for n in names if key(n) not in keep)))

.DEFAULT_GOAL := help
.PHONY: help env env-changed git-setup lock jupyter-path data check report test lint format lab bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@if [ "$$(cat $(ENV_ID_FILE) 2>/dev/null)" != "$(strip $(ENV_ID))" ] && [ -d $(VENV) ]; then \
	  echo "make env: $(VENV) was made for another folder or Python; making it again"; \
	  rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	@# The whole environment from the lock file, every file checked against its hash. uv, pinned
	@# in the lock, goes in first (by pip, from its own lines of the lock, hashes checked); it
	@# installs the rest in parallel and from its cache, in seconds where pip takes minutes. The
	@# lock names every package, so nothing is resolved (--no-deps: it also keeps the installer
	@# from looking past the lock when a locked version replaces an installed one); `pip check`
	@# then proves the set is complete.
	@awk '/^uv==/ {keep = 1; print; next} keep && /^ / {print; next} {keep = 0}' \
	  requirements.lock > $(VENV)/uv.lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	  -r $(VENV)/uv.lock.txt
	@# --compile-bytecode: as pip does, so no later command pays for compiling every module it
	@# imports (30 s or more of the first test run on a fresh .venv).
	UV_LINK_MODE=copy $(BIN)/uv pip install --python $(BIN)/python --require-hashes --no-deps \
	  --compile-bytecode -r requirements.lock
	@# A package an earlier lock installed and this one no longer names is removed (a sync).
	@extra="$$($(BIN)/python -c '$(LOCK_EXTRA_PY)')"; if [ -n "$$extra" ]; then \
	  echo "make env: removing what requirements.lock no longer names: $$extra"; \
	  $(BIN)/python -m pip uninstall --yes --quiet $$extra; fi
	$(BIN)/python -m pip check
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# The project's kernel, in .venv only (never for the user: one kernel per checkout). Outside
	@# clients find it with JUPYTER_PATH="$$(make -s jupyter-path)".
	$(BIN)/python -m gaoxin.kernel --install
	$(MAKE) --no-print-directory git-setup
	echo "$(strip $(ENV_ID))" > $(ENV_ID_FILE)
	touch $@

env-changed:

# Strip notebook outputs when they are staged (.gitattributes names the filter). The command is
# relative because git runs it from the top of the work tree, where that checkout's .venv is; it
# is required, so a commit fails (it never slips outputs in) where .venv is missing. git shares
# hooks between linked worktrees, so pre-commit is installed from the main work tree only.
git-setup:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean 'if [ -x $(BIN)/python ]; then exec $(BIN)/python -m nbstripout --keep-id; fi; echo "nbstripout: no $(BIN)/python in $$PWD: run make env there" >&2; exit 1' && \
	  git config filter.nbstripout.smudge cat && \
	  git config filter.nbstripout.required true && \
	  git config diff.ipynb.textconv "$(BIN)/python -m nbstripout --keep-id -t" && \
	  if [ "$$(cd "$$(git rev-parse --git-dir)" && pwd -P)" = "$$(cd "$$(git rev-parse --git-common-dir)" && pwd -P)" ]; then \
	    $(BIN)/pre-commit install; \
	  else echo "make env: a linked worktree shares its git hooks; pre-commit not installed here (make lint runs ruff)"; fi; \
	else echo "make env: not a git work tree; no notebook filter or hooks set up"; fi

# requirements.txt pins the direct dependencies; requirements.lock, made from it, pins the whole
# environment with hashes: one version of every package for all of Python 3.10 to 3.13, so each
# of them installs the same environment (`--fork-strategy fewest`: the newest release that every
# one of those Pythons can install, rather than newer releases for newer Pythons). Markers are
# left only for other platforms (Windows, macOS, PyPy).
lock: $(STAMP)  ## refresh requirements.lock from requirements.txt (uv; needs the package index)
	$(BIN)/uv pip compile requirements.txt --universal --python-version 3.10 --fork-strategy fewest \
	  --generate-hashes --quiet --custom-compile-command "make lock" -o requirements.lock
	@if grep -nE "python_(full_)?version" requirements.lock; then \
	  echo "make lock: requirements.lock pins by Python version (lines above): pin those packages" \
	    "in requirements.txt to a release that Python 3.10 to 3.13 all install" >&2; exit 1; fi

jupyter-path:  ## print the folder outside Jupyter clients need on JUPYTER_PATH to find this kernel
	@$(BIN)/python -m gaoxin.kernel --jupyter-path

env: $(STAMP)  ## create .venv and install the pinned dependencies and gaoxin (editable)

data: $(STAMP)  ## extract the article into data/processed (writes only what changed)
	$(BIN)/python -m gaoxin extract

check: $(STAMP)  ## provenance and coverage of the extracted data
	$(BIN)/python -m gaoxin check

report: $(STAMP)  ## build data and every export into exports/ (incremental; instant when nothing changed)
	$(BIN)/python -m gaoxin report

lint: $(STAMP)  ## ruff: lint and format check, changing nothing
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Test processes (pytest-xdist): one per core by default; TEST_JOBS=0 runs the suite in this one
# process. Each test file runs whole in one process, so a module's fixtures are made once.
TEST_JOBS ?= auto

test: $(STAMP)  ## lint, then every test (PYTEST_ARGS="-m unit": the fast tier alone)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile $(PYTEST_ARGS)

format: $(STAMP)  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lab: $(STAMP)  ## open the notebooks in JupyterLab (LAB_ARGS="--port=8899 --no-browser" passes options)
	$(BIN)/python -m gaoxin.lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP)  ## benchmark the report build against naive nbconvert runs
	$(BIN)/python -m gaoxin bench

clean:  ## remove everything the build makes: exports, article profiles, the cache, publish leftovers (keeps .venv)
	rm -rf exports/html exports/walkthrough exports/pdf exports/student exports/figures \
	  exports/data exports/index.html exports/article.html exports/facts.html exports/learn.html \
	  exports/teacher.html exports/teacher.pdf exports/teacher exports/zh .cache .exports-staging-* .exports-ready-* .exports-old-* \
	  exports/.*-staging-* exports/.*-ready-* exports/.*-old-* exports/.gaoxin-staging-*
	@# Article profiles (build --article): a folder of exports/ holding the profile's page.
	for d in exports/*/; do if [ -f "$$d/html/article_profile.html" ]; then rm -rf "$$d"; fi; done
