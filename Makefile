# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# The demo listens on loopback only; `make demo WEB_HOST=0.0.0.0` opens it to
# the network. (The Procfile's web process binds $WEB_HOST, 0.0.0.0 when unset,
# as a deployment needs.)
WEB_HOST ?= 127.0.0.1
# Where the demo's worker writes the texts it would send (no Twilio account).
TEXTS_LOG ?= instance/texts.log
# Inbound texts must be signed; without a Twilio account the demo signs with this.
DEMO_TOKEN ?= demo-auth-token

.PHONY: demo test install bench bench-availability bench-peers bench-webhook clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: $(BIN)/.installed
	$(BIN)/salonbot seed-demo
	@echo
	@echo "  salonbot demo is starting, listening on $(WEB_HOST):$(PORT):"
	@echo "    home page:   http://$(WEB_HOST):$(PORT)/"
	@echo "    health:      http://$(WEB_HOST):$(PORT)/health"
	@echo "    demo data:   $(BIN)/salonbot demo-info   (reads only; --json for scripts)"
	@echo "    a client:    $(BIN)/salonbot appointments --phone +12125551000"
	@echo "    text the bot as that client (in another terminal):"
	@echo "      TWILIO_AUTH_TOKEN=$(DEMO_TOKEN) $(BIN)/salonbot text --from +12125551000 'can we do monday at 11 instead'"
	@echo "  The worker writes each automated text (reminders, confirmations, the salon's notices)"
	@echo "  to $(TEXTS_LOG) (tail -f it), outside the salon's quiet hours, and one line per"
	@echo "  turn below; set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to send them."
	@echo "  Ctrl-C stops it."
	@echo
	@# seed-demo has migrated the database (the Procfile's release step); honcho
	@# runs only the long-lived processes, as it would stop them all when release exits.
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) WEB_HOST=$(WEB_HOST) TEXTS_LOG="$(TEXTS_LOG)" TWILIO_AUTH_TOKEN="$${TWILIO_AUTH_TOKEN:-$(DEMO_TOKEN)}" $(BIN)/honcho start web worker

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

bench: bench-availability

bench-availability: $(BIN)/.installed
	$(BIN)/python bench/availability.py

# gunicorn with 2 workers on SQLite and on the PostgreSQL at 127.0.0.1:5432
# (BENCH_POSTGRES_URL to change it): the full SMS path beside the bare endpoint.
bench-webhook: $(BIN)/.installed
	$(BIN)/python bench/webhook.py

# The general date parsers we compare against live in their own environment:
# they are never a dependency of the product.
bench-peers: $(BIN)/.installed
	$(PYTHON) -m venv .venv-peers
	.venv-peers/bin/pip install --quiet -e '.[peers]'
	.venv-peers/bin/python bench/nlu_peers.py

clean:
	rm -rf $(VENV) .venv-peers instance .pytest_cache .hypothesis
