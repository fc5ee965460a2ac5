"""The library surface: `import dyadwatch`, docs/library.md run as written, same answers as the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dyadwatch
from dyadwatch.errors import DyadwatchError
from dyadwatch.formats.export import COLUMNS
from dyadwatch.pipeline import Pipeline
from dyadwatch.surfaces.cli import app
from dyadwatch.surfaces.cli.common import DEMO_DIR
from dyadwatch.surfaces.library import _PIPELINES

DOC = Path(__file__).resolve().parents[1] / "docs" / "library.md"
DEMO_FILES = ["barkhane_mali_2022.txt", "saudi_iran_china_2023.html", "minusma_withdrawal_2023.html"]


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> tuple[Path, str]:
    """Three demo articles in a folder, and the URL of a database they were ingested into."""
    folder = tmp_path_factory.mktemp("news")
    for name in DEMO_FILES:
        (folder / name).write_bytes((DEMO_DIR / name).read_bytes())
    url = f"sqlite:///{folder.parent / 'news.db'}"
    report = dyadwatch.open_store(url, create=True).ingest([folder], pipeline)
    assert report.articles_new == len(DEMO_FILES)
    return folder, url


def test_import_does_not_load_spacy() -> None:
    code = "import sys, dyadwatch; dyadwatch.Settings; dyadwatch.open_store; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert set(dyadwatch.__all__) <= set(dir(dyadwatch))
    with pytest.raises(AttributeError):
        _ = dyadwatch.no_such_name


def test_the_docs_page_runs_as_written(news: tuple[Path, str], pipeline: Pipeline) -> None:
    folder, url = news
    _PIPELINES[dyadwatch.Settings.from_env()] = pipeline  # the session's pipeline: spaCy loads once
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) >= 4
    fresh = url.replace("news.db", "docs.db")  # the page ingests into a new store of its own
    source = (
        "\n".join(blocks).replace('"news/"', repr(str(folder))).replace('"sqlite:///news.db"', repr(fresh))
    )
    namespace: dict[str, object] = {}
    exec(compile(source, str(DOC), "exec"), namespace)  # the page's own code, against our demo store
    assert namespace["events"] and namespace["rows"]
    table, frame = namespace["table"], namespace["frame"]
    assert table.num_rows == len(frame) > 0  # type: ignore[attr-defined]


def test_store_answers_as_the_cli(news: tuple[Path, str]) -> None:
    _, url = news
    store = dyadwatch.open_store(url)
    listed = CliRunner().invoke(app, ["events", "--db", url, "--format", "jsonl", "--actor", "MLI"])
    assert listed.exit_code == 0
    assert [json.loads(line) for line in listed.stdout.splitlines()] == json.loads(
        json.dumps(store.events(actor="MLI"), default=str)
    )
    table = store.table()
    assert table.column_names == [name for name, _ in COLUMNS]
    assert table.num_rows == len(store.events())
    assert str(table.schema.field("event_code").type) == "string"
    frame = store.frame()
    assert all(isinstance(c, str) and c[:1] in "012" and len(c) >= 3 for c in frame["event_code"])
    assert sorted(frame["event_id"]) == sorted(r["event_id"] for r in store.events())


def test_a_missing_store_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    with pytest.raises(DyadwatchError) as err:
        dyadwatch.open_store(url)
    assert err.value.code == "E207" and not (tmp_path / "typo.db").exists()
    assert dyadwatch.open_store(url, create=True).events() == []


def test_code_text_says_why_it_codes_nothing(pipeline: Pipeline) -> None:
    _PIPELINES[dyadwatch.Settings.from_env()] = pipeline
    with pytest.raises(DyadwatchError) as err:
        dyadwatch.code_text("   ")
    assert err.value.code == "E208"
