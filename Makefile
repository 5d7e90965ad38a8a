# The two commands of the README: `make run` (first look, no services) and `make test`.
# Both install the locked versions (requirements/*.txt, with hashes); `make upgrade` moves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The pip that installs the locks, and the pip-tools that writes them (`make lock`, `make upgrade`).
PIP_VERSION := 26.3
PIP_TOOLS_VERSION := 7.6.2
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# requirements/main.txt: [project].dependencies of pyproject.toml (what production runs).
# requirements/dev.txt: the same plus the dev extra, constrained by main.txt so both agree on
# every version they share.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make upgrade" $(BIN)/pip-compile --quiet --generate-hashes \
	--strip-extras --no-emit-index-url --no-emit-find-links
LOCK_MAIN := -o requirements/main.txt pyproject.toml
LOCK_DEV := --extra dev -c requirements/main.txt -o requirements/dev.txt pyproject.toml

.PHONY: run test lint lock upgrade clean catalogs messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.pip-$(PIP_VERSION): | $(BIN)/python
	$(PIP_INSTALL) "pip==$(PIP_VERSION)"
	touch $@

# Reinstall only when a lock file (or the pinned pip) changes.
$(VENV)/.installed-main: requirements/main.txt $(VENV)/.pip-$(PIP_VERSION)
	$(PIP_INSTALL) --require-hashes -r requirements/main.txt
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.pip-$(PIP_VERSION)
	$(PIP_INSTALL) --require-hashes -r requirements/dev.txt
	touch $@

# Links in emails and texts are built from SITE_URL: it follows PORT unless set explicitly.
run: export DEBUG ?= 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo has two practices: the public pages show the first one's name.
run: export PORTAL_PRACTICE ?= demo-family-medicine
run: $(VENV)/.installed-main catalogs
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Portal: http://127.0.0.1:$(PORT)/  (demo password: Portal-Demo-2026!)"
	@echo "Development outbox (emails and texts): http://127.0.0.1:$(PORT)/dev/outbox/"
	@echo "Links in emails and texts start with $(SITE_URL)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Lint, the layers of DESIGN.md (import-linter, contracts in pyproject.toml), types (mypy), then
# the tests.
test: lint catalogs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# English and Spanish: the .po files in locale/ are the source; the .mo files Django reads are
# compiled from them in Python (polib), so no GNU gettext is needed to run or test.
catalogs: $(VENV)/.installed-main
	$(BIN)/python -m portal.catalogs

# After marking or changing text: extract it into locale/es/LC_MESSAGES/django.po (needs GNU
# gettext: apt-get install gettext), translate the new entries, and commit the .po file.
# Scripts take their words from the page (data- attributes), so there is no JavaScript catalog.
messages: $(VENV)/.installed-main
	DEBUG=1 $(BIN)/python manage.py makemessages --locale es --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*'

$(VENV)/.pip-tools-$(PIP_TOOLS_VERSION): $(VENV)/.pip-$(PIP_VERSION)
	$(PIP_INSTALL) "pip-tools==$(PIP_TOOLS_VERSION)"
	touch $@

# After editing the ranges in pyproject.toml: re-resolve, keeping every pin that still fits.
lock: $(VENV)/.pip-tools-$(PIP_TOOLS_VERSION)
	$(PIP_COMPILE) $(LOCK_MAIN)
	$(PIP_COMPILE) $(LOCK_DEV)

# On purpose: move every pin to the newest release that the ranges in pyproject.toml allow.
# Then run `make test` (it reinstalls from the new locks) and commit requirements/.
upgrade: $(VENV)/.pip-tools-$(PIP_TOOLS_VERSION)
	$(PIP_COMPILE) --upgrade $(LOCK_MAIN)
	$(PIP_COMPILE) --upgrade $(LOCK_DEV)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache portal.sqlite3
