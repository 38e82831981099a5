# `make run` sets everything up and serves the demo on SQLite; `make test` runs the whole suite.
# `make run` installs only what the app runs (requirements.lock, as production does); `make test`
# adds the tools that test and check it (requirements-dev.lock).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# E-mails sent by the task worker have no request to take the address from: their links lead here.
SITE_URL ?= http://127.0.0.1:$(PORT)
CHROMIUM ?= /usr/bin/chromium
MSGFMT ?= /usr/bin/msgfmt
DEV_ENV := DEBUG=1
# The suite runs in one process per core (pytest-xdist), each on its own test database. A test
# file stays in one process, so that a module's demo data loads once, unless it splits its tests
# into classes (the long sweeps do), which the processes then share. `make test TEST_WORKERS=0`
# runs it in this process alone.
TEST_WORKERS ?= auto

.PHONY: install install-dev run test lint migrate demo messages code audit mutation clean

$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

# The development lock pins the runtime's packages at the same versions, and the tools beside them.
$(BIN)/.installed-dev: requirements-dev.lock requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

install: $(BIN)/.installed

install-dev: $(BIN)/.installed-dev

# The browser tests drive Debian's Chromium; install it where it is missing and we can.
$(CHROMIUM):
	@if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "The browser tests need Debian's chromium at $(CHROMIUM): apt-get install chromium" >&2; \
		exit 1; \
	fi

# The catalogues are compiled by GNU gettext's msgfmt: install it where it is missing and we can.
$(MSGFMT):
	@if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	else \
		echo "Compiling the Welsh catalogue needs GNU gettext's msgfmt at $(MSGFMT): apt-get install gettext" >&2; \
		exit 1; \
	fi

# The Welsh catalogue's compiled files (locale/*/LC_MESSAGES/*.mo) are built, never committed.
messages: install $(MSGFMT)
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=.venv-audit --ignore=mutants

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py createcachetable

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_demo

# The two-factor code a demo user's authenticator app shows now: `make code WHO=officer`.
WHO ?= officer
code: install
	@$(DEV_ENV) $(BIN)/python manage.py demo_code $(WHO)

run: demo messages
	$(DEV_ENV) SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev $(CHROMIUM) messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit --quiet --recursive sla_monitor grants equality_plans oversight api --exclude '*/migrations/*'
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# pip-audit in a virtualenv of its own: auditing needs none of the app's packages.
AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/bin/pip-audit:
	test -x $(AUDIT_VENV)/bin/python || $(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet pip-audit==2.10.1

# Known vulnerabilities in both locks' pinned dependencies (needs PyPI's vulnerability data).
audit: $(AUDIT_VENV)/bin/pip-audit
	$(PYTHON) .ci/audit_dependencies.py $(AUDIT_VENV)/bin/pip-audit

# How many deliberate bugs in the grants rules the suite catches ([tool.mutmut] in pyproject.toml).
mutation: install-dev
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python .ci/mutation_score.py

lint: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(AUDIT_VENV) db.sqlite3 staticfiles mutants
	find locale -name '*.mo' -delete 2>/dev/null || true
