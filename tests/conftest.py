"""Shared fixtures: one loaded pipeline per test session; ../shared located or skipped with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.pipeline import Pipeline
from dyadwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip with a printed reason where that folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"external test data absent: {path} (../shared is not beside this clone)")
    return path


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(Settings())


@pytest.fixture(scope="session")
def ungated() -> Pipeline:
    return Pipeline(Settings(gate=False))
