# One command per task. `make run` and `make test` install everything they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps run test lint format bench clean

install: $(STAMP) node_modules/.installed

# torch is pinned to the CPU build that lies on local disk; a looser pin pulls a multi-GB CUDA build.
# torchvision (for its transforms) goes in --no-deps: its own requirement is that CUDA torch. Its
# transforms are Python; app/engine/tvcompat.py imports it beside the CPU torch.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet --no-deps torchvision==0.28.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Test-only npm tools (package.json): axe-core and reveal.js for tests/test_classroom_browser.py,
# from node_modules/, never a CDN. npm comes from Debian (scripts/system-deps.sh, run first).
node_modules/.installed: package.json | system-deps
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm missing: the classroom browser tests will skip"; fi

# Graphviz, Chromium, a CJK font, Redis, nginx and npm come from Debian; installed when missing
# and we are root.
system-deps:
	@bash scripts/system-deps.sh

# Served as `autograd-playground serve` and the Dockerfile serve it (app/server.py: a deadline
# on request headers, no X-Forwarded-For rewriting).
run: system-deps install
	$(BIN)/autograd-playground serve --host $(HOST) --port $(PORT)

test: system-deps install
	$(BIN)/pytest -q

lint:
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

format:
	$(BIN)/ruff format app tests bench
	$(BIN)/ruff check --fix app tests bench

bench: install system-deps
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m bench.serve
	$(BIN)/python -m bench.render_sizes
	$(BIN)/python -m bench.replicas

clean:
	rm -rf $(VENV) .pytest_cache
