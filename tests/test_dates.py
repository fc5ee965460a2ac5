"""Event dates: date expressions resolved against fixed publication dates (exact dates + precision)."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.geo.dates import find_dates, resolve
from dyadwatch.pipeline import Pipeline, code
from dyadwatch.records import Document, Event

THU = dt.date(2024, 3, 14)  # a Thursday
MON = dt.date(2023, 1, 2)  # a Monday, just after New Year
D = dt.date

TABLE: list[tuple[str, dt.date | None, tuple[dt.date, str] | None]] = [
    # weekdays: the most recent one on or before publication; "last" means strictly before
    ("Militants attacked the camp on Tuesday.", THU, (D(2024, 3, 12), "day")),
    ("The attack took place on Thursday.", THU, (D(2024, 3, 14), "day")),
    ("Soldiers were ambushed on Friday night.", THU, (D(2024, 3, 8), "day")),
    ("Rebels seized the town last Tuesday.", THU, (D(2024, 3, 12), "day")),
    ("Rebels seized the town last Thursday.", THU, (D(2024, 3, 7), "day")),
    ("Gunmen struck on Monday.", MON, (D(2023, 1, 2), "day")),
    ("Gunmen struck last Monday.", MON, (D(2022, 12, 26), "day")),
    ("Gunmen struck on Friday.", MON, (D(2022, 12, 30), "day")),
    # days
    ("The convoy was hit yesterday.", THU, (D(2024, 3, 13), "day")),
    ("The convoy was hit yesterday.", MON, (D(2023, 1, 1), "day")),
    ("The village was burned the day before yesterday.", THU, (D(2024, 3, 12), "day")),
    ("Protesters were shot two days ago.", THU, (D(2024, 3, 12), "day")),
    ("Protesters were shot 10 days ago.", THU, (D(2024, 3, 4), "day")),
    ("Troops entered the city today.", THU, (D(2024, 3, 14), "day")),
    ("Shelling resumed this morning.", THU, (D(2024, 3, 14), "day")),
    # weeks: the Monday of the week meant (the Saturday for a weekend)
    ("The base was attacked a week ago.", THU, (D(2024, 3, 4), "week")),
    ("The base was attacked last week.", THU, (D(2024, 3, 4), "week")),
    ("The base was attacked last week.", MON, (D(2022, 12, 26), "week")),
    ("Clashes broke out earlier this week.", THU, (D(2024, 3, 11), "week")),
    ("Clashes broke out three weeks ago.", THU, (D(2024, 2, 19), "week")),
    ("Clashes broke out two weeks ago.", MON, (D(2022, 12, 19), "week")),
    ("Fighting flared over the weekend.", THU, (D(2024, 3, 9), "week")),
    ("Fighting flared over the weekend.", MON, (D(2022, 12, 31), "week")),
    ("Fighting flared last weekend.", THU, (D(2024, 3, 9), "week")),
    # months: the first of the month; a month after publication is last year's
    ("Jihadists blockaded the town earlier this month.", THU, (D(2024, 3, 1), "month")),
    ("Jihadists blockaded the town earlier this month.", MON, (D(2023, 1, 1), "month")),
    ("Jihadists blockaded the town last month.", THU, (D(2024, 2, 1), "month")),
    ("Jihadists blockaded the town last month.", MON, (D(2022, 12, 1), "month")),
    ("Jihadists blockaded the town two months ago.", THU, (D(2024, 1, 1), "month")),
    ("The junta expelled the envoy in January.", THU, (D(2024, 1, 1), "month")),
    ("The junta expelled the envoy in May.", THU, (D(2023, 5, 1), "month")),
    ("The junta expelled the envoy in December.", MON, (D(2022, 12, 1), "month")),
    ("The junta expelled the envoy in mid-January.", THU, (D(2024, 1, 1), "month")),
    ("The junta expelled the envoy in early March.", THU, (D(2024, 3, 1), "month")),
    ("The junta expelled the envoy in March 2023.", THU, (D(2023, 3, 1), "month")),
    # years
    ("The military seized power in 2020.", THU, (D(2020, 1, 1), "year")),
    ("The military seized power in late 2022.", THU, (D(2022, 1, 1), "year")),
    ("The military seized power last year.", THU, (D(2023, 1, 1), "year")),
    ("The military seized power earlier this year.", THU, (D(2024, 1, 1), "year")),
    # day and month: dateparser relative to publication, past preferred
    ("Drones struck the market on 5 March.", THU, (D(2024, 3, 5), "day")),
    ("Drones struck the market on 20 March.", THU, (D(2023, 3, 20), "day")),
    ("Drones struck the market on 28 December.", MON, (D(2022, 12, 28), "day")),
    ("Drones struck the market on March 5, 2023.", THU, (D(2023, 3, 5), "day")),
    ("Drones struck the market on 5 March 2023.", THU, (D(2023, 3, 5), "day")),
    ("Drones struck the market on the 5th of March.", THU, (D(2024, 3, 5), "day")),
    ("Drones struck the market on the night of 12 to 13 March.", THU, (D(2024, 3, 12), "day")),
    ("Drones struck the market on 2023-11-02.", THU, (D(2023, 11, 2), "day")),
    # no publication date: only absolute expressions resolve
    ("The military seized power in 2020.", None, (D(2020, 1, 1), "year")),
    ("Drones struck the market on 5 March 2023.", None, (D(2023, 3, 5), "day")),
    ("Militants attacked the camp on Tuesday.", None, None),
    ("The junta expelled the envoy in January.", None, None),
    # nothing to resolve, or nothing before publication
    ("Militants attacked the camp.", THU, None),
    ("Troops may march on the town.", THU, None),
    ("The two leaders will meet next week.", THU, None),
    ("The talks are scheduled for 20 March 2024.", THU, None),
]


@pytest.mark.parametrize(("text", "published", "expected"), TABLE)
def test_date_table(text: str, published: dt.date | None, expected: tuple[dt.date, str] | None) -> None:
    assert resolve(text, published) == expected


def test_table_size_and_never_after_publication() -> None:
    assert len(TABLE) >= 30
    for text, published, _ in TABLE:
        found = resolve(text, published)
        assert found is None or published is None or found[0] <= published


def test_future_events_may_have_future_dates() -> None:
    assert resolve("The two leaders will meet next week.", THU, future=True) == (D(2024, 3, 18), "week")
    assert resolve("They meet tomorrow.", THU, future=True) == (D(2024, 3, 15), "day")
    (mention,) = find_dates("They meet tomorrow.", THU)
    assert mention.future and mention.text == "tomorrow"


def _events(pipeline: Pipeline, text: str, date: str | None) -> list[Event]:
    doc = Document(origin="t", text=text, external_id="t", date=date)
    return [e for e in code(pipeline, [doc]) if isinstance(e, Event)]


def test_event_takes_the_date_tied_to_its_trigger_not_the_statement(pipeline: Pipeline) -> None:
    events = _events(
        pipeline, "The army said on Wednesday that militants attacked Boulkessi on Sunday.", "2024-03-14"
    )
    attacks = [e for e in events if e.trigger.text == "attacked"]
    assert attacks and all((e.date, e.date_precision) == (D(2024, 3, 10), "day") for e in attacks)


def test_a_date_of_the_report_only_leaves_the_publication_date(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Militants attacked Boulkessi, the army said on Wednesday.", "2024-03-14")
    attacks = [e for e in events if e.trigger.text == "attacked"]
    assert attacks and all((e.date, e.date_precision) == (THU, None) for e in attacks)


def test_events_without_a_date_expression_keep_the_publication_date(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Militants attacked the army camp in Boulkessi.", "2024-03-14")
    assert events and all((e.date, e.date_precision) == (THU, None) for e in events)
    events = _events(pipeline, "Militants attacked the army camp in Boulkessi last week.", "2024-03-14")
    assert events and all((e.date, e.date_precision) == (D(2024, 3, 4), "week") for e in events)


@pytest.mark.parametrize("published", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_relative_dates_at_the_ends_of_the_calendar_resolve_or_are_dropped(published: dt.date) -> None:
    phrases = ["yesterday", "the day before", "tomorrow", "next year", "last year", "3 years ago", "last week",
               "next week", "10 months ago", "next month", "last weekend", "next Monday", "on Friday"]  # fmt: skip
    for phrase in phrases:
        found = resolve(f"Troops attacked the town {phrase}.", published, future=True)
        assert found is None or dt.date(1, 1, 1) <= found[0] <= dt.date(9999, 12, 31)
