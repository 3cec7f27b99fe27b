# jixiao — two commands set everything up on a fresh machine:
#   make build   venv + install + build the warehouse from data/raw/
#   make test    the whole test suite (installs Chromium, CJK fonts, the Spark extra)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: build test install system-deps dashboard docs bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The Spark extra (pyspark, dbt-spark): the tests compare the DuckDB and Spark builds.
SPARK_STAMP := $(VENV)/.spark-stamp
$(SPARK_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $(SPARK_STAMP)

# Debian packages for the tests: Chromium and CJK fonts (browser test), Java 17 (local Spark),
# LibreOffice, poppler-utils and qpdf (real PDFs: printed, turned to text or images, encrypted).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v java >/dev/null \
		|| ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null || ! command -v qpdf >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			chromium fonts-noto-cjk $$(command -v java >/dev/null || echo openjdk-17-jre-headless) \
			libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils qpdf >/dev/null; \
	fi

# Exit 1 from `jixiao build` means: built, but some input was rejected
# (listed in raw.ingest_errors); only a broken pipeline (exit 2) fails make.
build: $(STAMP)
	$(BIN)/jixiao build || [ $$? -eq 1 ]

test: $(SPARK_STAMP) system-deps
	$(BIN)/pytest

# Property-based tests with many more examples than `make test` runs
# (FUZZ_EXAMPLES=N to choose how many); prints how many documents were tried.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	JIXIAO_HYPOTHESIS_PROFILE=fuzz JIXIAO_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(BIN)/pytest -q -s -p no:cacheprovider tests/ingest/test_properties.py --hypothesis-show-statistics

dashboard: $(STAMP)
	$(BIN)/jixiao dashboard

docs: $(STAMP)
	$(BIN)/jixiao docs

bench: $(SPARK_STAMP) system-deps
	$(BIN)/python -m bench.run

clean:
	rm -rf data/*.duckdb data/landing data/builds target logs test-output
