# figpipe: `make figures` regenerates every figure; `make test` runs the tests.
SWIFT   ?= swift
FIGPIPE := .build/release/figpipe
JOBS    ?=
ARGS    ?=

.PHONY: all deps build figures test fuzz bench clean schema format lint help check-browser

all: figures

help:
	@echo "make figures   build (release) and run the whole pipeline on data/ into figures/"
	@echo "make test      build and run every test"
	@echo "make fuzz N=1000 [SEED=1] [PROFILE=thorough] [FAMILY=delphi.runs]  mutation fuzzing: N mutants per input kind, failures saved in .fuzz-failures/"
	@echo "make bench     benchmarks (needs python3 with zstandard for the scale-100 data)"
	@echo "make schema    regenerate pipeline.schema.json from the registered stage kinds"
	@echo "make format    format the Swift sources (swift format, .swift-format)"
	@echo "make check-browser  draw every Delphi blog figure with plotly.js in headless Chromium, a screenshot each, and compare its text layout with the static renders';"
	@echo "                    then the gallery, figpipe diff's page and figpipe serve (live reload timed), screenshots in figures/browser-check/review"
	@echo "make clean     remove build products, the cache and generated figures"

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build -c release --product figpipe

figures: build
	$(FIGPIPE) run $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

# Without debug information: the test build is faster (CI must stay under six
# minutes) and backtraces still name the functions; `swift build` as usual
# for a debugger.
test: deps
	$(SWIFT) build --build-tests -debug-info-format none
	$(SWIFT) test --skip-build -debug-info-format none

# The mutation fuzzer (Sources/Fuzzing): N mutants per input kind, each run by
# the debug figpipe in a child process; a table of how they ended, and every
# failing mutant saved under .fuzz-failures/ with a repro.sh. `make test` runs
# 80 per kind (Tests/FuzzingTests, quick profile).
N       ?= 1000
SEED    ?= 1
PROFILE ?= thorough
FAMILY  ?=
fuzz: deps
	$(SWIFT) build --product figpipe
	$(SWIFT) build --product figpipe-fuzz
	.build/debug/figpipe-fuzz --count $(N) --seed $(SEED) --profile $(PROFILE) \
		--figpipe .build/debug/figpipe --failures .fuzz-failures $(foreach f,$(FAMILY),--family $(f))

bench: deps
	$(SWIFT) build -c release --product figpipe
	$(SWIFT) build -c release --product figpipe-bench
	scripts/bench.sh

# Not in CI: needs python with plotly and a chromium binary (or playwright);
# the review part (scripts/check_browser_review.py) needs playwright and
# drives Debian's chromium (apt-get install chromium).
PYTHON_REF ?= $(firstword $(wildcard .venv-ref/bin/python ../main/.venv-ref/bin/python) python3)
check-browser: build
	$(FIGPIPE) run --quiet 'delphi.*'
	$(PYTHON_REF) scripts/check_browser.py figures figures/browser-check
	$(FIGPIPE) run --quiet
	$(PYTHON_REF) scripts/check_browser_review.py $(FIGPIPE) figures figures/browser-check/review

schema: build
	$(FIGPIPE) schema > pipeline.schema.json

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

lint:
	$(SWIFT) format lint -r Sources Tests Package.swift

# Removes the files the pipeline wrote and the cache (waiting for a running
# figpipe to finish), then the build products.
clean:
	@if [ -x $(FIGPIPE) ]; then $(FIGPIPE) clean; else rm -rf .figpipe; fi
	rm -rf .build .fuzz-failures
