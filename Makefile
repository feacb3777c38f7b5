# 社区警务工作台 — set-up and checks. `make run` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCALE ?= small
# The demo station's admin password (account admin); change it in the program (账户 → 修改密码).
DEMO_PASSWORD ?= demo1234

.PHONY: run test bench bench-city bundle bundle-smoke clean

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

# The benchmarks that read a demo database, on the `city` demo (1M households, ~11M rows: built once,
# ~20 min of CPU, and cached in .bench-cache). BENCH=tests/bench/test_search.py runs one module.
BENCH ?= tests/bench
bench-city: $(STAMP)
	CPDESK_BENCH_SCALE=city QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider $(BENCH) -s \
		-o addopts="" -o timeout=3600

bundle: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build build_spec/cpdesk.spec
	$(PY) build_spec/smoke.py dist/cpdesk

clean:
	rm -rf build dist $(VENV)
