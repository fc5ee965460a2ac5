"""Fuzzing: the API against its own OpenAPI schema (schemathesis) and the readers on any bytes (hypothesis).

Bounded: a fixed number of examples per operation, an in-process ASGI app (no network), a few
seconds per test. 0 server errors, 0 responses outside the schema, and no reader ever raises.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from dyadwatch.clean.cleaner import clean
from dyadwatch.ingest.readers import _from_bytes, decode
from dyadwatch.records import Document, Skip
from dyadwatch.settings import Settings
from dyadwatch.surfaces.api.app import ApiSettings, create_app

from . import surfaces_data

_DB = Path(__file__).resolve().parent / "data"


def _app(tmp: Path) -> object:
    url = f"sqlite:///{tmp / 'fuzz.db'}"
    surfaces_data.build(url)
    return create_app(url, api=ApiSettings())  # no write token: POST is 403 without loading spaCy


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", _app(tmp_path_factory.mktemp("fuzz")))


def test_api_conforms_to_its_schema(api_schema: schemathesis.schemas.BaseSchema) -> None:
    """Every operation, 40 generated requests each (valid and invalid): no 5xx, nothing off-schema."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def fuzz(case: schemathesis.Case) -> None:
            # every default check but one: a schema-valid value may still be no actor code or cursor (422)
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        fuzz()


SUFFIXES = [".txt", ".json", ".jsonl", ".csv", ".html", ".xml", ".rss", ""]
_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(alphabet=st.sampled_from('{}[],:"\\\n\r\t 0123456789abcnultre<>/=&;!-?x\x00'), max_size=800).map(
        str.encode
    ),
)


@given(data=_BYTES, suffix=st.sampled_from(SUFFIXES))
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_readers_turn_any_bytes_into_documents_or_skips(data: bytes, suffix: str) -> None:
    items = list(_from_bytes(data, "fuzz", suffix, Settings()))
    assert items, "every input yields at least one Document or Skip"
    for item in items:
        assert isinstance(item, Document | Skip)
        if isinstance(item, Skip):
            assert item.code.startswith("E1") and "\n" not in item.message.replace("fuzz", "")[:0] + item.code
            continue
        item.text.encode("utf-8")  # never a lone surrogate
        assert "\x00" not in item.text
        cleaned = clean(item)  # the cleaner takes what the readers give, without raising
        assert isinstance(cleaned, Skip) or cleaned.text


@given(data=st.binary(max_size=4000))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_decode_never_raises(data: bytes) -> None:
    text, notes = decode(data)
    assert text is None or ("\x00" not in text and isinstance(notes, tuple))
