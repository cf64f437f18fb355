# The README's two commands are `make run` and `make test`; everything else supports them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
NPM_DIR := theme/static_src
PYTEST_ARGS ?=
RUN_PORT ?= 8000

.PHONY: run test install install-dev css lint format check-deploy serve-prod smoke-prod lock lock-check audit \
	restore-check test-py313

$(PY):
	$(PYTHON) -m venv $(VENV)

# The locks carry every distribution's sha256: pip refuses anything else (docs/supply-chain.md).
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install -q --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -q --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.installed

$(NPM_DIR)/node_modules/.package-lock.json: $(NPM_DIR)/package-lock.json
	cd $(NPM_DIR) && npm ci --no-audit --no-fund

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

css: $(NPM_DIR)/node_modules/.package-lock.json
	cd $(NPM_DIR) && npm run build --silent

## Set up and run the site in development mode on the embedded default (SQLite, eager tasks,
## console email, local media, test payments). Production is the default everywhere else, so the
## development mode is switched on here, explicitly; the environment wins over .env.
run: export DEBUG = True
run: export PAYMENTS_TEST_MODE_ENABLED = True
run: install css
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(RUN_PORT)

## Run the whole test suite (unit, integration and browser journeys).
test: install-dev css
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## The suite without the browser journeys on Python 3.13 and SQLite, in its own environment
## (.venv313) installed from the same hashed lock. PYTHON313 names the interpreter.
PYTHON313 ?= python3.13
VENV313 ?= .venv313
$(VENV313)/.installed-dev: requirements-dev.txt
	$(PYTHON313) -m venv $(VENV313)
	$(VENV313)/bin/pip install -q --require-hashes -r requirements-dev.txt
	touch $@

test-py313: $(VENV313)/.installed-dev css
	env -u DATABASE_URL -u REDIS_URL $(VENV313)/bin/pytest -m "not e2e" -q $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## The production-like stack on this machine: PostgreSQL, Redis, gunicorn, Celery worker + beat,
## DEBUG=False (deploy/serve-prod.sh; Ctrl-C stops it).
serve-prod: install css
	bash deploy/serve-prod.sh

## Start that stack, log in, run a CV analysis through the real worker, stop it (CI runs this).
smoke-prod: install css
	$(PY) deploy/smoke_test.py

## Regenerate the hashed locks (requirements*.txt) after editing requirements*.in.
lock: install-dev
	bash scripts/lock.sh

## The locks match their inputs: regenerate into a temporary folder and diff (CI runs this).
lock-check: install-dev
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	cp requirements.in requirements-dev.in requirements.txt requirements-dev.txt "$$tmp"/ && \
	bash scripts/lock.sh "$$tmp" && \
	diff -u requirements.txt "$$tmp"/requirements.txt && diff -u requirements-dev.txt "$$tmp"/requirements-dev.txt && \
	echo "lock-check: requirements.txt and requirements-dev.txt match their .in files" || \
	{ echo "lock-check: the locks do not match requirements*.in: run make lock and commit the result" >&2; exit 1; }

## Known vulnerabilities in the locked packages and the npm tree. Needs the advisory services
## (a networked runner): fails loudly when they cannot be reached (docs/supply-chain.md).
audit: install-dev
	bash scripts/audit.sh

## Restore drill: dump the database (DATABASE_URL) and the private media, restore both into a scratch
## database and folder, compare every table's row count and every file's SHA-256 (docs/backups.md; CI).
RESTORE_CHECK_ARGS ?=
restore-check: install
	$(PY) scripts/restore_check.py $(RESTORE_CHECK_ARGS)

## `check --deploy` under production settings with the documented env vars set.
check-deploy: install
	DEBUG=False SECRET_KEY=ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=' | head -c 60) \
	ALLOWED_HOSTS=talentvisa.example.com SITE_URL=https://talentvisa.example.com \
	$(PY) manage.py check --deploy --fail-level WARNING
