# The two commands in the README: `make demo` and `make test`. Both run setup first.
VENV := .venv/bin
export RASA_TELEMETRY_ENABLED := false
# pytest-xdist workers for make test (each test file stays on one worker; see tests/conftest.py)
PYTEST_WORKERS ?= 2

.PHONY: setup test demo lint bench schema docs clean

setup:
	@bash scripts/setup.sh

test: setup
	$(VENV)/ruff check .
	$(VENV)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

demo: setup
	@bash scripts/demo.sh

lint: setup
	$(VENV)/ruff check .

bench: setup
	$(VENV)/python bench/engine.py

schema: setup
	$(VENV)/smartlab schema --out flows/flow.schema.json

docs: setup
	$(VENV)/smartlab activities --markdown > docs/activities.md

clean:
	rm -rf .venv nlu/.venv .pytest_cache .ruff_cache
