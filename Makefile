# Two commands on a fresh machine:  `make run` (the app, offline, on the bundled postings)
# and `make test` (the whole suite, browser tests included). Both are idempotent.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: setup run test test-fast lint bench system-packages lock clean

setup: $(STAMP)

# torch first: pinned to the CPU build, so nothing later pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required: install python3.11 (or run 'make PYTHON=/path/to/python3.11')"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Debian packages the tests need: Chromium for the browser tests, PostgreSQL server binaries for the
# history tests on PostgreSQL (the tests start their own server; the system service is not used),
# espeak-ng to speak the answers that the speech tests and bench/speech.py transcribe.
# As root apt-get runs directly, otherwise through sudo; `env` sets DEBIAN_FRONTEND in both cases
# (a bare VAR=value after an empty SUDO is not in command position, and sudo resets the environment).
# CHROMIUM, PG_GLOB and ESPEAK are what "already installed?" looks at (tests/integration/test_install_recipe.py
# points them into a temp dir).
CHROMIUM ?= /usr/bin/chromium
PG_GLOB ?= /usr/lib/postgresql/*/bin/initdb
ESPEAK ?= /usr/bin/espeak-ng
system-packages:
	@if [ ! -x "$(CHROMIUM)" ] || ! ls $(PG_GLOB) >/dev/null 2>&1 || [ ! -x "$(ESPEAK)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  { $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql espeak-ng >/dev/null; } || \
	  { echo "apt-get could not install chromium, postgresql and espeak-ng: run '$${SUDO:+sudo }apt-get install -y chromium postgresql espeak-ng'"; exit 1; }; \
	fi
	@test -x "$(CHROMIUM)" || { echo "Chromium did not install ($(CHROMIUM) is missing): run 'sudo apt-get install -y chromium'"; exit 1; }
	@ls $(PG_GLOB) >/dev/null 2>&1 || { echo "PostgreSQL's initdb did not install ($(PG_GLOB) matches nothing): run 'sudo apt-get install -y postgresql'"; exit 1; }
	@test -x "$(ESPEAK)" || { echo "espeak-ng did not install ($(ESPEAK) is missing): run 'sudo apt-get install -y espeak-ng'"; exit 1; }

run: setup
	$(BIN)/coach ingest knowledge/postings
	$(BIN)/chainlit run app.py --headless --host $(HOST) --port $(PORT)

# Two runs: Playwright's sync API keeps an event loop running in the main thread for the whole
# pytest session, which breaks every asyncio test that runs after a browser test.
test: setup system-packages
	$(BIN)/pytest -q tests/unit tests/integration
	$(BIN)/pytest -q tests/e2e

test-fast: setup
	$(BIN)/pytest -q tests/unit tests/integration

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy chains knowledge prompts core cli ui app.py

bench: setup
	$(BIN)/coach bench

# Regenerate the lock after changing dependencies in pyproject.toml.
lock:
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --find-links /opt/wheels --no-emit-find-links
	sed -i '1i # Regenerate with: make lock' requirements.lock

clean:
	rm -rf $(VENV) .data .files .pytest_cache .mypy_cache .ruff_cache
