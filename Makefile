# 社区警务工作台 — set-up and checks. `make run` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCALE ?= small
# The demo station's admin password (account admin); change it in the program (账户 → 修改密码).
DEMO_PASSWORD ?= demo1234

.PHONY: run test bench bench-city bench-bundle bundle bundle-smoke clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bundle]'
	$(PY) build_spec/check_qt.py
	touch $(STAMP)

run: $(STAMP)
	CPDESK_PASSWORD=$(DEMO_PASSWORD) $(PY) -m app demo --scale $(SCALE) --if-empty
	$(PY) -m ui gui

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -n 2

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider tests/bench -s -o addopts=""

# The benchmarks that read a demo database, on the `city` demo (1M households, ~11M rows: built once
# and cached in .bench-cache: its build took 7.3 min on 2 quiet cores, 2.9 GB of memory at its peak,
# and 7.1 GB of disk). BENCH=tests/bench/test_search.py runs one module.
# Each run needs ~45 GB free beside the cache: copies of the city (encrypted for the search box and for
# the window, a day's backup of it, the sync bench's, one baseline at a time); earlier runs' are removed.
BENCH ?= tests/bench
bench-city: $(STAMP)
	CPDESK_BENCH_SCALE=city QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider $(BENCH) -s \
		-o addopts="" -o timeout=3600 -o tmp_path_retention_policy=none

bundle: $(STAMP)
	$(PY) build_spec/check_qt.py --bundle
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build build_spec/cpdesk.spec
	$(PY) build_spec/smoke.py dist/cpdesk

# The bundle from start to a usable window (small and station demos, with login) against the
# program unbundled in the same run: needs the bundle, so it builds it first (not in `make bench`).
bench-bundle: bundle
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider tests/bench/bundle_start.py -s -o addopts=""

clean:
	rm -rf build dist $(VENV)
