# The clinic shop's commands. `make run` starts the shop locally; `make test` passes the suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format install services chromium system-packages npm fonts clean lock audit

## install: the virtualenv with the pinned dependencies (requirements.lock, from pyproject.toml)
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Python 3.11)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

## lock: pin every package anew from pyproject.toml (run after changing dependencies)
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet ".[dev]"
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^clinic-shop' > requirements.lock
	rm -rf .venv-lock build *.egg-info

## run: set up and start the shop on the embedded local stack
run: install system-packages npm fonts
	@bash .ci/local-run.sh "$(HOST)" "$(PORT)"

## services: make sure PostgreSQL and Redis answer (start throwaway ones where none runs)
services:
	@bash .ci/services.sh

## system-packages: Debian's Pango and fonts for the PDF tax invoices (Chinese names print too)
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core
system-packages:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
	  [ "$$(id -u)" -eq 0 ] || { echo "install $(SYSTEM_PACKAGES) (apt-get install)"; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; }

## fonts: the tax documents' cut of Debian's Noto Sans CJK SC (shop/invoices/fonts.py), once
FONT_DIR := var/fonts
fonts: $(FONT_DIR)/ClinicCJK-Regular.otf

$(FONT_DIR)/ClinicCJK-Regular.otf: shop/invoices/fonts.py | install system-packages
	rm -f $(FONT_DIR)/ClinicCJK-*.otf
	$(PY) -m shop.invoices.fonts $(FONT_DIR)

## npm: the front-end packages pinned in package-lock.json (jQuery, axe-core, Lighthouse)
npm: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (Node 20)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## chromium: Debian's Chromium for the browser journeys
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## test: set up and run the whole suite on PostgreSQL, Redis, localstripe, SMTP and Chromium
test: install system-packages npm fonts services chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(if $(CI),--create-db) $(PYTEST_ARGS)

## bench: stock Oscar and the shop side by side under wrk (one table), then the other benchmarks
## (WRK_DURATION=5s WRK_CONNECTIONS=16 to shorten; about 15 minutes as it is)
bench: install system-packages fonts services
	@set -e; $(PY) tests/bench/bench_web.py; \
	for b in tests/bench/bench_*.py; do [ "$$b" = tests/bench/bench_web.py ] || $(PY) "$$b"; done

## audit: Lighthouse scores (phone) and screenshots of the main pages; AUDIT_URL=... for a running shop
audit: install system-packages npm chromium
	@bash .ci/audit.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var .pytest_cache .ruff_cache

## drill: 50 patients check out while PostgreSQL, Redis, the worker and SMTP fail in turn; nothing may be lost
.PHONY: drill
drill: install system-packages fonts
	@timeout -k 20 600 $(PY) .ci/drill/run.py
