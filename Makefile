# RED portal: `make run` serves the demo, `make test` runs the whole suite.
# Both create .venv and install the Python and npm packages on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint worker beat messages clean bench

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Bootstrap purged of the rules no template uses, for the public pages (issue 16).
PURGE_SOURCES := $(shell find templates */templates static/js -name '*.html' -o -name '*.js' 2>/dev/null) \
	$(wildcard */*.py */templatetags/*.py)
static/build/bootstrap.min.css: node_modules/.installed tools/purgecss.config.cjs $(PURGE_SOURCES)
	mkdir -p static/build
	node_modules/.bin/purgecss --config tools/purgecss.config.cjs

setup: $(VENV)/.installed node_modules/.installed static/build/bootstrap.min.css

run: setup
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) manage.py makemigrations --check --dry-run -v0 --settings=redportal.settings_test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Two workers: OTPs and other interactive work on the fast queue never wait
# behind an import or the sweep on the bulk queue (DESIGN §6, docs/deploy.md).
worker: setup
	trap 'kill 0' INT TERM; \
	$(VENV)/bin/celery -A redportal worker -l info -n fast@%h -O fair \
	  -Q $${CELERY_QUEUE:-fast} -c $${CELERY_FAST_CONCURRENCY:-2} & \
	$(VENV)/bin/celery -A redportal worker -l info -n bulk@%h -O fair \
	  -Q $${CELERY_QUEUE_BULK:-bulk} -c $${CELERY_BULK_CONCURRENCY:-1} & \
	wait

beat: setup
	$(VENV)/bin/celery -A redportal beat -l info

# One Hindi catalogue (locale/hi) built from every source, filled from
# tools/translations/*.json and compiled; the .mo is committed.
messages: setup
	flock /tmp/redportal-messages.lock sh -c '\
	  $(PY) manage.py makemessages -l hi -v0 --no-obsolete \
	    --ignore=node_modules --ignore=.venv --ignore=tests --ignore=bench \
	    --ignore=staticfiles --ignore=tools --ignore=media && \
	  $(PY) tools/po_fill.py locale/hi/LC_MESSAGES/django.po tools/translations/*.json'

# Every bench/bench_*.py on PostgreSQL + Redis, one table, bench/results.json;
# the bench-only peers (requirements-bench.txt) are installed first.
# Heavy: runs under the shared bench lock (contributing.md).
$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-bench.txt
	touch $@

bench: setup $(VENV)/.bench-installed
	flock /tmp/redportal-bench.lock bench/run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
