# Two commands on a fresh machine with Python 3.11+ and make: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SMTP_PORT ?= 8025

.PHONY: demo test install lint format messages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed
	$(BIN)/treffpunkt compilemessages -v0
	@# Byte-code for our own modules, as a regular install writes it: the editable install
	@# leaves it to the first import, which PYTHONDONTWRITEBYTECODE forbids (every run of
	@# `treffpunkt plan` then compiles the planner again, about 70 ms of its start).
	$(BIN)/python -m compileall -q treffpunkt

demo: install
	$(BIN)/treffpunkt migrate -v0
	$(BIN)/treffpunkt load_demo
	@echo
	@echo "Treffpunkt: http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Logins (password treffpunkt-demo): organisator, moderatorin, mitglied, gast"
	@echo "E-mails are not sent out: they are printed below (SMTP on $(HOST):$(SMTP_PORT))."
	@echo
	@# Beside the web server run the background worker (e-mails, PDFs) and a local SMTP
	@# server that prints every e-mail here, so the personal links can be followed.
	$(BIN)/python -m aiosmtpd -n -l $(HOST):$(SMTP_PORT) & smtp=$$!; \
	EMAIL_PORT=$(SMTP_PORT) $(BIN)/treffpunkt db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker $$smtp 2>/dev/null' EXIT INT TERM; \
	EMAIL_PORT=$(SMTP_PORT) $(BIN)/treffpunkt runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Developers only (needs GNU gettext): refresh the catalogues after changing strings.
messages: install
	cd treffpunkt && ../$(BIN)/treffpunkt makemessages -l de --no-obsolete --no-location

clean:
	rm -rf $(VENV) var .pytest_cache
