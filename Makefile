# The two commands a person needs: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SYSTEM := $(VENV)/.system-packages
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test test-busy docker-test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here),
# with a Korean font for the Korean page; the store tests start Debian's redis-server on a free
# port (and stop it by its pid). Installed once, by root or through sudo; `make run` never
# needs them.
SYSTEM_PACKAGES := chromium fonts-nanum redis-server
$(SYSTEM): | $(BIN)/.installed
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
		[ -z "$(SUDO)" ] || command -v sudo >/dev/null || \
		{ echo "make test needs: apt-get install -y $(SYSTEM_PACKAGES) (as root)" >&2; exit 1; }; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $(SYSTEM_PACKAGES); }
	touch $@

test: lint $(SYSTEM)
	$(BIN)/pytest

# Tests with every core kept busy (CI's machine is shared): `make test-busy` runs the browser
# tests once beside one spinning process per core; TESTS and RUNS choose what and how often.
TESTS ?= tests/browser
RUNS ?= 1
test-busy: $(SYSTEM)
	$(BIN)/python -m tests.busy --runs $(RUNS) -- $(BIN)/pytest -x -q $(TESTS)

# Build the image from the Dockerfile, run it, check it through its port (installs docker.io).
docker-test: $(BIN)/.installed
	bash tests/docker/smoke.sh

bench: $(BIN)/.installed
	$(BIN)/python -m bench.engine
	$(BIN)/python -m bench.api

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
