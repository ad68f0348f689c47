# Two commands matter: `make run` and `make test`. Everything else is a convenience.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

DEMO_DATA ?= var/demo
DEMO_ACCOUNTS ?= 2000
PORT ?= 8000
EMULATOR_PORT ?= 12111

.PHONY: run demo demo-model demo-import test bench lint format typecheck clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## run: set up .venv, make a demo dataset, a first champion model and load the dataset into the
## service if missing, serve the API
run: demo-import
	$(BIN)/connect-risk serve --host 127.0.0.1 --port $(PORT)

## demo: `run` with the local Stripe emulator on :12111 wired in (webhooks in, enforcement out)
demo: demo-import
	@$(BIN)/connect-risk stripe-emulator --port $(EMULATOR_PORT) --webhook-secret whsec_demo \
		--webhook-url http://127.0.0.1:$(PORT)/v1/webhooks/stripe & \
	trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	STRIPE_API_KEY=sk_test_demo STRIPE_API_BASE=http://127.0.0.1:$(EMULATOR_PORT) \
	STRIPE_WEBHOOK_SECRET=whsec_demo $(BIN)/connect-risk serve --host 127.0.0.1 --port $(PORT)

# Each step leaves a marker in the dataset's folder once it has succeeded, so an interrupted
# step runs again, and another DEMO_DATA gets its own model and import.
demo-model: $(STAMP)
	@mkdir -p var
	@if [ ! -f $(DEMO_DATA)/.generated ]; then \
		$(BIN)/connect-risk generate --out $(DEMO_DATA) --accounts $(DEMO_ACCOUNTS) --seed 7 \
			--force && touch $(DEMO_DATA)/.generated; \
	else echo "demo dataset already at $(DEMO_DATA)"; fi
	@if [ ! -f $(DEMO_DATA)/.trained ]; then \
		$(BIN)/connect-risk train --data $(DEMO_DATA) --cache var/cache && \
		{ $(BIN)/connect-risk promote --metric roc_auc || true; } && touch $(DEMO_DATA)/.trained; \
	else echo "demo model already trained on $(DEMO_DATA) (delete $(DEMO_DATA)/.trained to retrain)"; fi

# The demo accounts, their transactions and documents in the service, so they score by id.
demo-import: demo-model
	@if [ ! -f $(DEMO_DATA)/.imported ]; then \
		$(BIN)/connect-risk import --data $(DEMO_DATA) && touch $(DEMO_DATA)/.imported; \
	else echo "demo dataset already imported (delete $(DEMO_DATA)/.imported to import again)"; fi

## test: set up .venv with the test extras and run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest -m "not benchmark" $(PYTEST_ARGS)

## bench: run the benchmarks, each printing its figures next to a same-run baseline
bench: $(STAMP)
	$(BIN)/python -m pytest tests -m benchmark -s -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache
