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

SEEDS := seed000 seed001 seed002 seed003 seed004

demo: install
	@rm -rf $(OUT) && mkdir -p $(OUT)/样例表单
	@echo "== 1. 样例表单：由 YAML 数据按官方表样生成 Excel，再校验并写出标注副本 =="
	@for s in $(SEEDS); do \
	  $(JX) render tests/fixtures/$$s.yaml -o $(OUT)/样例表单/$$s.xlsx && \
	  $(JX) validate $(OUT)/样例表单/$$s.xlsx --annotate $(OUT)/样例表单/$${s}_校验.xlsx; \
	done; true
	@echo "== 2. 绩效自评表评分 =="
	$(JX) score $(OUT)/样例表单/seed003.xlsx
	@echo "== 3. 由项目清单生成各单位的申报表 =="
	$(JX) generate samples/项目清单.xlsx --out $(OUT)/申报表
	@echo "== 4. 生成下一预算年度的表单 =="
	$(JX) newyear $(OUT)/申报表 --year 2024 --out $(OUT)/2024年度
	@echo "== 5. 区级汇总（退出码 1 表示表单中有“错误”级问题，已列入汇总表的“校验结果”）=="
	$(JX) rollup $(OUT)/申报表 --out $(OUT)/汇总.xlsx; test $$? -le 1
	@echo
	@echo "结果在 $(abspath $(OUT))/："
	@echo "  样例表单/    种子表单的 Excel 版与校验标注副本（*_校验.xlsx）"
	@echo "  申报表/      由 samples/项目清单.xlsx 生成的各单位申报表"
	@echo "  2024年度/    下一年度表单与项目清单"
	@echo "  汇总.xlsx    区级汇总表"

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
