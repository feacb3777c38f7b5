# 社区警务工作台 — set-up and checks. `make run` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCALE ?= small
# The demo station's admin password (account admin); change it in the program (账户 → 修改密码).
DEMO_PASSWORD ?= demo1234

.PHONY: run test bench bundle bundle-smoke clean

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
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider tests/bench -s -o addopts=""

bundle: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build build_spec/cpdesk.spec
	$(PY) build_spec/smoke.py dist/cpdesk

clean:
	rm -rf build dist $(VENV)
