"""A hand-built store for the analyst surfaces: events with known dates, directions and classes.

RUS–MLI over three months (nothing in February), in both directions, plus one negated, one
hypothetical, one undated and one dated to a month only ("in March"), and unrelated FRA → MLI
and SAU → IRN events; one story.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, update

from dyadwatch.records import Actor, Article, Event, Mention, Trigger
from dyadwatch.store import database as store

RUS = Actor("RUS", "Russia", "RUS", "state")
WAGNER = Actor("RUSMILWGR", "Wagner Group", "RUS", "armed_group", "MIL")
MLI = Actor("MLI", "Mali", "MLI", "state")
MLIGOV = Actor("MLIGOV", "Malian transitional government", "MLI", "state", "GOV")
FRA = Actor("FRA", "France", "FRA", "state")
SAU = Actor("SAU", "Saudi Arabia", "SAU", "state")
IRN = Actor("IRN", "Iran", "IRN", "state")

# (day, source, target, code, root, name, quad, goldstein, flags: neg | hyp | a date precision)
ROWS: list[tuple[str | None, Actor, Actor, str, str, str, int, float, str]] = [
    ("2023-01-10", RUS, MLI, "042", "04", "Make a visit", 1, 1.9, ""),
    ("2023-01-20", MLIGOV, RUS, "057", "05", "Sign formal agreement", 1, 8.0, ""),
    ("2023-01-25", RUS, MLIGOV, "061", "06", "Cooperate economically", 2, 6.4, ""),
    ("2023-03-05", WAGNER, MLI, "190", "19", "Use conventional military force", 4, -10.0, ""),
    ("2023-03-07", MLIGOV, RUS, "111", "11", "Criticize or denounce", 3, -2.0, ""),
    ("2023-03-01", MLIGOV, RUS, "020", "02", "Make an appeal or request", 1, 3.0, "month"),
    ("2023-03-08", RUS, MLI, "193", "19", "Fight with small arms", 4, -10.0, "neg"),
    ("2023-03-09", RUS, MLI, "163", "16", "Impose embargo", 4, -8.0, "hyp"),
    (None, RUS, MLI, "036", "03", "Express intent to meet", 1, 4.0, ""),
    ("2023-02-14", FRA, MLI, "111", "11", "Criticize or denounce", 3, -2.0, ""),
    ("2023-02-15", SAU, IRN, "050", "05", "Engage in diplomatic cooperation", 1, 3.5, ""),
]

# RUS–MLI by month, direction by direction (counted events only): (events, quads, goldstein sum)
EXPECTED = {
    "2023-01": {"ab": (2, [1, 1, 0, 0], 8.3), "ba": (1, [1, 0, 0, 0], 8.0), "both": (3, [2, 1, 0, 0], 16.3)},
    "2023-03": {
        "ab": (1, [0, 0, 0, 1], -10.0),
        "ba": (2, [1, 0, 1, 0], 1.0),
        "both": (3, [1, 0, 1, 1], -9.0),
    },
}


def build(db_url: str) -> list[str]:
    """Store ROWS (one article per row, one story over the first three); returns the article ids."""
    engine = store.connect(db_url)
    ids = []
    for n, (day, src, tgt, code, root, name, quad, goldstein, flags) in enumerate(ROWS):
        sentence = f"{src.name} acted on {tgt.name} ({n})."
        article = Article(
            id=f"art{n:013d}",
            origin=f"hand:{n}",
            text=sentence,
            external_id=f"ext-{n}",
            title=f"Report {n}",
            url=f"https://news.example/{n}",
            source="news.example",
            attributed_source="wire.example" if n % 2 else None,
            published=dt.date.fromisoformat(day) if day else None,
        )
        trigger_at = len(src.name) + 1
        event = Event(
            article_id=article.id,
            doc_id=article.doc_id,
            sentence_index=0,
            sentence=sentence,
            source=Mention(src.name, 0, len(src.name), src),
            target=Mention(tgt.name, trigger_at + 9, trigger_at + 9 + len(tgt.name), tgt),
            event_code=code,
            root_code=root,
            event_name=name,
            quad_class=quad,
            goldstein=goldstein,
            plover={"type": "", "mode": "", "context": ""},
            trigger=Trigger("acted", trigger_at, trigger_at + 5),
            confidence=0.7,
            date=dt.date.fromisoformat(day) if day else None,
            date_precision=flags if flags in ("week", "month", "year") else None,
            negated=flags == "neg",
            hypothetical=flags == "hyp",
            hedged=n == 3,
            reported_by="the army" if n == 4 else None,
        )
        store.save(engine, article, [event], 1)
        ids.append(article.id)
    with engine.begin() as conn:
        conn.execute(
            insert(store.stories).values(
                id="st-rus-mli",
                label="Russia and Mali",
                first_date=dt.date(2023, 1, 10),
                last_date=dt.date(2023, 1, 25),
                num_articles=3,
                top_actors=["RUS", "MLI"],
                event_type="04",
                updated_at=dt.datetime(2024, 1, 1),
            )
        )
        conn.execute(
            update(store.articles).where(store.articles.c.id.in_(ids[:3])).values(story_id="st-rus-mli")
        )
    return ids
