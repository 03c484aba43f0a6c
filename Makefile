# AURA-HLM dashboard. Two commands: `make run` (start it) and `make test`
# (install what is missing, then lint and run the whole test suite).
# Every target works on a fresh clone and is quick when run again: the
# virtualenv is only reinstalled when pyproject.toml changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8050
WORKERS ?= 2
PYTEST_ARGS ?=
DATA_ARGS ?=

BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
# xstatic-bootstrap's sdist needs setuptools<81 to build (build-constraints.txt);
# --build-constraint needs pip >= 25.3.
PIP_INSTALL := $(PIP) install --build-constraint build-constraints.txt
INSTALL_STAMP := $(VENV)/.install-stamp
TEST_STAMP := $(VENV)/.install-test-stamp
ARTIFACTS := artifacts

.PHONY: help install install-test run test lint data browser system-deps clean

help:
	@echo "Tableau de bord AURA-HLM"
	@echo "  make run           lance le tableau de bord sur http://$(HOST):$(PORT)"
	@echo "  make test          installe ce qui manque et lance toute la suite de tests"
	@echo "  make install       prépare l'environnement Python (.venv)"
	@echo "  make install-test  idem, avec les outils de test"
	@echo "  make data          reconstruit les tables depuis data/raw/ (DATA_ARGS=\"--region all\")"
	@echo "  make lint          vérifie le code (ruff)"
	@echo "  make clean         supprime les artefacts de test et les caches"

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "Impossible de créer l'environnement virtuel $(VENV) avec $(PYTHON)." >&2; \
	  echo "Installez Python 3.11 ou plus récent avec le module venv :" >&2; \
	  echo "  sudo apt-get install python3 python3-venv" >&2; \
	  exit 1; }

$(INSTALL_STAMP): pyproject.toml build-constraints.txt | $(BIN)/python
	$(PIP) install --quiet "pip>=25.3"
	$(PIP_INSTALL) -e .
	@touch $@

$(TEST_STAMP): pyproject.toml build-constraints.txt | $(BIN)/python
	$(PIP) install --quiet "pip>=25.3"
	$(PIP_INSTALL) -e ".[test]"
	@touch $(INSTALL_STAMP) $@

install: $(INSTALL_STAMP)

install-test: $(TEST_STAMP)

# Debian packages the tests drive for real: chromium and chromium-driver (browser
# tests, never a downloaded browser), nginx (reverse proxy in front of gunicorn),
# redis-server (Celery export queue). Installed with apt-get when missing: as
# root, or through `sudo -n` when it needs no password. Each entry is
# "command:package"; a test that needs one starts and stops it itself.
SYSTEM_DEPS ?= chromedriver:chromium-driver chromium:chromium nginx:nginx redis-server:redis-server

system-deps:
	@missing=""; \
	for dep in $(SYSTEM_DEPS); do \
	  cmd=$${dep%%:*}; pkg=$${dep#*:}; \
	  if [ "$$cmd" = chromium ] && [ -n "$${DASH_TEST_CHROMEPATH:-}" ]; then continue; fi; \
	  command -v "$$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$$cmd" ] || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "Les tests ont besoin de ces paquets, et apt-get n'est pas disponible ici :$$missing" >&2; \
	  echo "Installez-les (ou leurs équivalents) puis relancez make test." >&2; \
	  exit 1; \
	fi; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else \
	  echo "Les tests ont besoin de ces paquets Debian :$$missing" >&2; \
	  echo "Installez-les avec un compte administrateur, puis relancez make test :" >&2; \
	  echo "  sudo apt-get update && sudo apt-get install -y$$missing" >&2; \
	  exit 1; \
	fi; \
	echo "Installation de$$missing (apt-get)…"; \
	$$SUDO apt-get update -q; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

# Former name of system-deps.
browser: system-deps

# Same gunicorn settings as in production (deploy/gunicorn.conf.py); HOST, PORT and
# WORKERS override the address and the number of workers.
run: install
	@echo "Tableau de bord AURA-HLM : http://$(HOST):$(PORT)  (Ctrl+C pour arrêter)"
	$(BIN)/gunicorn app:server -c deploy/gunicorn.conf.py -w $(WORKERS) -b $(HOST):$(PORT)

test: install-test system-deps
	@mkdir -p $(ARTIFACTS)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest --headless $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .

data: install
	$(BIN)/python -m dashboard.data build $(DATA_ARGS)

clean:
	rm -rf $(ARTIFACTS) .pytest_cache .ruff_cache
