"""Shared fixtures: the seed forms as the product's YAML."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.yamlio import load_book

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(FIXTURES.glob("seed00*.yaml"))

os.environ.setdefault("JIXIAO_LOG_DIR", str(Path(__file__).parent.parent / "build" / "test-logs"))


def seed(n: int):
    """The Book transcribed from seed n (0…4)."""
    return load_book(FIXTURES / f"seed{n:03d}.yaml")


@pytest.fixture(params=[p.name for p in SEEDS])
def seed_path(request) -> Path:
    return FIXTURES / request.param


def pytest_sessionstart(session):
    """In CI the independent checkers must be there: `make test` installs them, so
    a missing one means a broken install step, not a test to skip."""
    missing = [tool for tool in ("soffice", "pdftoppm", "pdftotext") if not shutil.which(tool)]
    if os.environ.get("CI") and missing:
        pytest.exit(f"CI 缺少 {'、'.join(missing)}：make test 的安装步骤没有生效", returncode=1)
