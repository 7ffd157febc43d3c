# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= sqlite:///$(CURDIR)/instance/demo.db
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in the demo's mails and calendar point at the demo itself (set BASE_URL to override).
BASE_URL ?= http://$(HOST):$(PORT)
DEMO_ENV = TALENTPOOL_ENV=demo DATABASE_URL=$(DEMO_DB) BASE_URL=$(BASE_URL)

.PHONY: install demo serve test test-browser translations messages lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	@$(BIN)/pybabel compile --use-fuzzy --statistics -d talentpool/translations 2>&1 | tail -n 1

# Re-extract translatable strings and merge them into the English catalogue.
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k pgettext:1c,2 -k N_ --no-location --sort-output -o talentpool/translations/messages.pot talentpool templates
	$(BIN)/pybabel -q update -i talentpool/translations/messages.pot -d talentpool/translations -l en --ignore-obsolete

demo: install
	mkdir -p instance
	$(DEMO_ENV) $(BIN)/talentpool migrate
	$(DEMO_ENV) $(BIN)/talentpool seed-reference
	$(DEMO_ENV) $(BIN)/talentpool seed-demo
	@echo "Serving $(BASE_URL)  (Ctrl+C to stop)"
	$(DEMO_ENV) $(BIN)/gunicorn --workers 2 --threads 4 \
		--bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-browser: install
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check talentpool tests bench migrations

clean:
	rm -rf $(VENV) instance/demo.db .pytest_cache
