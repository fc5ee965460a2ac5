"""Shared fixtures: one loaded pipeline per test session; ../shared located or skipped with a reason."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.pipeline import Pipeline
from dyadwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # corpus generator and the throwaway PostgreSQL server
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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    from pgserver import server_binaries, throwaway_server

    if server_binaries() is None:
        pytest.skip(
            "PostgreSQL server binaries not found (Debian package postgresql): PostgreSQL tests skipped"
        )
    with throwaway_server() as base_url:
        yield base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind: every storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    from pgserver import new_database

    return new_database(request.getfixturevalue("pg_server"))
