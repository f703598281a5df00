# Two commands on a fresh Debian machine: `make run` and `make test`. Each installs what is missing.
SHELL := /bin/bash
PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

# Debian packages: WeasyPrint's libraries and fonts covering every Vietnamese diacritic; chromium for browser
# tests; gettext for the test that the translation catalogue holds every string of the sources.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra python3-venv
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils gettext

.PHONY: run test lint deps test-deps debs-run debs-test messages benchmark clean

run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	PY=$(PY) ./scripts/serve

test: test-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

benchmark: deps
	$(PY) -m benchmarks.run

# Extract and compile translations (needs Debian's gettext); the compiled files are committed.
messages: deps
	$(PY) manage.py makemessages -l vi -l en --no-location --no-obsolete --ignore=.venv --ignore=.tools --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools

deps: debs-run $(VENV)/.synced

test-deps: debs-test $(VENV)/.synced

debs-run:
	@./scripts/ensure-debs $(RUN_DEBS)

debs-test:
	@./scripts/ensure-debs $(TEST_DEBS)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles
