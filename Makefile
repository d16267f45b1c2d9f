# LeadDesk developer commands. `make run` and `make test` are all a newcomer needs.

# PySide6 6.12 aborts on Python <= 3.11, so insist on 3.12+.
PYTHON ?= $(shell for p in python3.12 python3.13 /root/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3.12; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench soak bundle smoke install uninstall clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "LeadDesk needs Python 3.12 or newer (python3.12 not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) build/linux/qt_system_libs.py
	$(PY) -m app $(ARGS)

test: $(STAMP)
	$(VENV)/bin/ruff check app tests bench
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench $(ARGS)

soak: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.soak $(ARGS)

clean:
	rm -rf build/dist build/work $(VENV)

# The long kill -9 loop (crash safety): hundreds of kills during edits and imports.
.PHONY: soak-kill
soak-kill: $(STAMP)
	LEADDESK_KILL_ITERATIONS=$${LEADDESK_KILL_ITERATIONS:-400} QT_QPA_PLATFORM=offscreen \
		$(PY) -m pytest -q -s tests/system/test_durability.py -k kill

# The double-click app: a onedir PyInstaller bundle in build/dist/LeadDesk, its smoke
# test (offscreen: temporary database, sample import, search), and the per-user menu entry.
DIST := build/dist/LeadDesk
.PHONY: icons launch-time

bundle: $(STAMP)
	-$(PY) build/linux/qt_system_libs.py  # the bundle carries the X libraries it finds here (builds without them too)
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/work installer.spec
	@du -sh $(DIST)

smoke:
	@test -x $(DIST)/LeadDesk || $(MAKE) bundle
	$(DIST)/LeadDesk --smoke

install:
	@test -x $(DIST)/LeadDesk || $(MAKE) bundle
	build/linux/install.sh install $(DIST)

uninstall:
	build/linux/install.sh uninstall

icons: $(STAMP)
	$(PY) build/make_icons.py

launch-time:
	@test -x $(DIST)/LeadDesk || $(MAKE) bundle
	build/measure_launch.sh $(or $(RUNS),10)
