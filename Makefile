# Counter: `make run` opens the app, `make test` runs the whole suite headless.
# Both create .venv, install the project, install missing system libraries and build catalogs.

VENV    := .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
STAMP   := $(VENV)/.installed
POT     := locales/counter.pot
# A new language is a new catalog: every locales/<lang>/LC_MESSAGES/counter.po is built.
MO      := $(patsubst %.po,%.mo,$(wildcard locales/*/LC_MESSAGES/counter.po))
# The first Python >= 3.11 on PATH (evaluated once; PYTHON=... overrides).
ifndef PYTHON
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
             $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
             && { echo $$p; break; }; done)
endif

.PHONY: run test lint format sysdeps catalogs extract update-catalogs check-catalogs demo bench screenshots clean dist dist-check

run: $(STAMP) sysdeps catalogs
	$(BIN)/counter run --demo-if-missing

test: $(STAMP) sysdeps catalogs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Counter needs Python 3.11 or newer (python3.11+ on PATH)."; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || PYTHON=$(PYTHON) sh scripts/system-deps.sh venv
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

sysdeps:
	@PYTHON=$(PYTHON) sh scripts/system-deps.sh

# Catalog cycle: extract -> update -> compile. .mo files are built, never committed.
catalogs: $(MO)

locales/%/LC_MESSAGES/counter.mo: locales/%/LC_MESSAGES/counter.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -D counter -d locales -l $* >/dev/null

extract: $(STAMP)
	$(BIN)/pybabel extract -F locales/babel.cfg -k N_ -k NP_:1c,2 -k pgettext:1c,2 -k npgettext:1c,2,3 \
	    --project=Counter --copyright-holder="Counter developers" --no-location --sort-output \
	    -o $(POT) counter ui

update-catalogs: extract
	$(BIN)/pybabel update -D counter -i $(POT) -d locales --no-fuzzy-matching --ignore-obsolete
	$(PY) scripts/fix_plural_forms.py locales

check-catalogs: $(STAMP)
	$(BIN)/pytest tests/i18n -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: $(STAMP) catalogs
	$(BIN)/counter demo

screenshots: $(STAMP) sysdeps catalogs
	@sh scripts/system-deps.sh screenshots
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py --ui en tr hu hi
	QT_QPA_PLATFORM=offscreen $(PY) scripts/manager_screenshots.py
	QT_QPA_PLATFORM=offscreen $(PY) scripts/customer_screen_screenshots.py --lang tr hi
	QT_QPA_PLATFORM=offscreen $(PY) scripts/data_screenshots.py
	# Every dialog in every UI language, to look at (not committed): build/dialogs/<lang>/.
	# At a real display: DISPLAY=:N QT_QPA_PLATFORM=xcb $(PY) scripts/dialog_screenshots.py
	QT_QPA_PLATFORM=offscreen $(PY) scripts/dialog_screenshots.py --out build/dialogs

bench: $(STAMP) catalogs
	$(BIN)/counter bench --quick

# The desktop bundle: no Python needed on the machine that runs it (PyInstaller, one folder).
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
ARCH    := $(shell uname -m)
dist: $(STAMP) sysdeps catalogs
	$(PY) -m pip install --quiet -e '.[bundle]'
	rm -rf dist/counter build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
	    scripts/counter.spec
	cp scripts/desktop/counter.desktop ui/resources/counter.svg dist/counter/
	tar -C dist -czf dist/counter-$(VERSION)-linux-$(ARCH).tar.gz counter
	@echo "Built dist/counter/counter and dist/counter-$(VERSION)-linux-$(ARCH).tar.gz"

dist-check: dist
	$(PY) scripts/check_bundle.py dist/counter/counter

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build dist
	find locales -name '*.mo' -delete
