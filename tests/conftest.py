"""Shared fixtures: the seed forms as the product's YAML."""
from __future__ import annotations

import os
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
