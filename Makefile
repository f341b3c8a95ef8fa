# jixiao — two commands do all the set-up on a fresh Debian machine:
#   make demo   virtual environment, install, run the main job on the bundled sample
#   make test   everything the tests need (LibreOffice included), then the tests
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
JX     := $(VENV)/bin/jixiao
OUT    ?= out
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libreoffice-calc-nogui python3-uno poppler-utils fonts-noto-cjk

.PHONY: demo test install system-deps bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,addin]'
	touch $@

install: $(VENV)/.installed

demo: install
	@mkdir -p $(OUT)
	@echo "== 校验样例表单（种子表单转录的 YAML）=="
	-$(JX) validate tests/fixtures/seed000.yaml tests/fixtures/seed001.yaml tests/fixtures/seed002.yaml \
	    tests/fixtures/seed003.yaml tests/fixtures/seed004.yaml
	@$(JX) validate --json tests/fixtures/seed00*.yaml > $(OUT)/校验结果.json || true
	@echo "== 绩效自评表评分 =="
	$(JX) score tests/fixtures/seed003.yaml
	@echo
	@echo "结果：$(abspath $(OUT))/校验结果.json"

system-deps:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  echo "安装 LibreOffice 与 poppler（测试用）…"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

test: system-deps install
	$(PY) -m pytest

bench: install
	for b in bench/*.py; do $(PY) $$b; done

clean:
	rm -rf $(VENV) $(OUT) build dist *.egg-info
