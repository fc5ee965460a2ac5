from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch import datafiles
from dyadwatch.errors import DyadwatchError


def test_codebook_has_every_cameo_code_with_quad_class() -> None:
    book = datafiles.load_codebook()
    assert len(book) == 312
    assert {e.root for e in book.values()} == {f"{i:02d}" for i in range(1, 21)}
    for entry in book.values():
        root = int(entry.root)
        expected = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
        assert entry.quad_class == expected, entry.code
    assert book["072"].goldstein == 8.3
    assert book["190"].plover_type == "ASSAULT"


def test_triggers_cover_all_twenty_roots() -> None:
    triggers = datafiles.load_triggers()
    roots = {t.code[:2] for t in triggers}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    assert {t.kind for t in triggers} == {"verb", "noun"}


def test_actor_files_load_and_cover_every_country() -> None:
    countries = datafiles.load_countries()
    assert len(countries) >= 249
    by_iso = {c.iso3: c for c in countries}
    assert "Malian" in by_iso["MLI"].demonyms and "Bamako" in by_iso["MLI"].capitals
    assert "Kremlin" in by_iso["RUS"].metonyms
    orgs = {o.name: o for o in datafiles.load_organisations()}
    assert any(o.country == "RUS" and o.role == "MIL" for o in orgs.values() if "Wagner" in o.name)
    roles = datafiles.load_roles()
    assert {"GOV", "MIL", "REB", "COP", "OPP", "CVL", "MED", "BUS", "IGO", "NGO"} <= set(roles)


def test_bad_row_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "triggers.csv"
    bad.write_text("code,kind,lemma,object,prep,particle,notes\n190,verb,attack,,,,\n999,verb,zap,,,,\n")
    with pytest.raises(DyadwatchError) as info:
        datafiles.load_triggers(bad)
    assert info.value.code == "E001"
    assert f"{bad}:3" in info.value.message and "999" in info.value.message


def test_bad_header_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "roles.csv"
    bad.write_text("code,label\nGOV,government\n")
    with pytest.raises(DyadwatchError, match=":1: header"):
        datafiles.load_roles(bad)
