"""Chrome out, attribution and date kept — for flattened text and for HTML."""

from __future__ import annotations

import datetime as dt

from dyadwatch.clean.cleaner import article_id, clean
from dyadwatch.pipeline import Pipeline
from dyadwatch.records import Article, Document, Skip

FLAT = """Niger and Mali Sign Defence Pact

0

Soldiers standing beside an armoured truck on a dusty road.

Niger and Mali signed a mutual defence agreement in Niamey on Tuesday, officials said.

The two governments agreed to hold joint patrols along their shared border.

Originally published at: https://www.example-news.org/world/sahel-pact?ref=rss

About Jane Doe

Jane Doe is an experienced reporter who has covered the Sahel for a decade after graduating in journalism.

View all posts by Jane Doe →

Share this:

Leave a Reply

Your email address will not be published. Required fields are marked *
"""


def test_flattened_chrome_is_removed_and_attribution_kept(pipeline: Pipeline) -> None:
    art = pipeline.clean(Document(origin="flat.txt", text=FLAT))
    assert isinstance(art, Article)
    assert art.title == "Niger and Mali Sign Defence Pact"
    assert art.text.startswith("Niger and Mali signed a mutual defence agreement")
    assert art.text.endswith("along their shared border.")
    assert art.attributed_source == "example-news.org"
    kinds = {c.kind for c in art.chrome}
    assert {"caption", "author_bio", "comment_form", "counter", "attribution"} <= kinds
    assert "Jane Doe" not in art.text and "armoured truck" not in art.text


def test_short_lead_sentence_is_not_mistaken_for_a_caption(pipeline: Pipeline) -> None:
    text = "Coup in Niger\n\nSoldiers detained the president of Niger on Wednesday.\n\nThe army closed the borders."
    art = pipeline.clean(Document(origin="lead.txt", text=text))
    assert isinstance(art, Article)
    assert art.text.startswith("Soldiers detained the president")


def test_html_page_chrome(pipeline: Pipeline) -> None:
    html = """<html><head><title>Sahel pact</title>
    <meta property="article:published_time" content="2024-03-05T08:00:00Z"></head><body>
    <nav><a href="/">Home</a><a href="/world">World</a></nav>
    <article><h1>Niger and Mali sign defence pact</h1>
    <figure><img src="x.jpg" alt="A vibrant landscape"><figcaption>Soldiers on patrol near Gao.</figcaption></figure>
    <p>Niger and Mali signed a mutual defence agreement in Niamey on Tuesday, officials said.</p>
    <p>The two governments agreed to hold joint patrols along their shared border, the statement added.</p>
    <p>Share this:</p></article>
    <div class="comments"><h3>Leave a Reply</h3><p>Your email address will not be published.</p></div>
    <footer>© 2024 Example News</footer></body></html>"""
    art = pipeline.clean(Document(origin="p.html", text=html, fmt="html"))
    assert isinstance(art, Article)
    assert "signed a mutual defence agreement" in art.text
    assert "Leave a Reply" not in art.text and "email address" not in art.text and "©" not in art.text
    assert str(art.published) == "2024-03-05"


def test_non_english_and_empty_body() -> None:
    french = (
        "Le gouvernement malien a annoncé mardi la suspension de la coopération militaire avec la France, "
        "selon un communiqué lu à la télévision nationale par le porte-parole du gouvernement."
    )
    item = clean(Document(origin="fr.txt", text=french))
    assert isinstance(item, Skip) and item.code == "E107"
    only_chrome = clean(
        Document(origin="c.txt", text="Leave a Reply\n\nYour email address will not be published.")
    )
    assert isinstance(only_chrome, Skip) and only_chrome.code == "E108"


def test_article_id_is_a_stable_content_hash() -> None:
    assert article_id("Mali  and\nRussia") == article_id("mali and russia")
    assert article_id("Mali and Russia") != article_id("Mali and France")
    assert len(article_id("x")) == 16


def test_malformed_html_is_an_article_or_a_coded_skip(pipeline: Pipeline) -> None:
    broken = [
        "<html><body><div><p>Malian troops attacked a JNIM camp near Gao on Monday, the army said.<div><p><b>",
        "<html><head><title>x</title></head><body><<<>>>&&&;</body>",
        "<!DOCTYPE html><html>" + "<div>" * 5000,
        "<html><body><script>var x = '<p>';</script><p>\x00\x01 noise</p></body></html>",
    ]
    for n, html in enumerate(broken):
        item = pipeline.clean(Document(origin=f"b{n}.html", text=html, fmt="html"))
        assert isinstance(item, Article | Skip)
        if isinstance(item, Skip):
            assert item.code in ("E107", "E108") and "\n" not in item.message
    first = pipeline.clean(Document(origin="b0.html", text=broken[0], fmt="html"))
    assert isinstance(first, Article) and "JNIM camp" in first.text


def test_names_do_not_count_against_english_but_other_scripts_do() -> None:
    english = [
        "Chinese President Xi Jinping met US President Joe Biden near San Francisco.",
        "Chinese President Xi Jinping met US President Joe Biden near San Francisco on Wednesday. "
        "Xi Jinping and Joe Biden discussed Taiwan, Ukraine and the Middle East with Antony Blinken.",
        "UNITED NATIONS SECURITY COUNCIL REPORT OF THE SECRETARY-GENERAL ON THE SITUATION IN MALI "
        "S/2023/21 Distr. General. The Secretary-General said the mission would stay in Gao.",
    ]
    for text in english:
        assert isinstance(clean(Document(origin="en.txt", text=text)), Article), text
    chinese = (
        "中国国家主席习近平周三在旧金山附近会见了美国总统拜登。双方讨论了台湾问题、乌克兰局势和贸易关系。"
    )
    german = (
        "Die Bundesregierung hat am Montag neue Sanktionen gegen Russland beschlossen, teilte das "
        "Auswärtige Amt in Berlin mit. Die Maßnahmen richten sich gegen Banken und Unternehmen."
    )
    for text in (chinese, german):
        item = clean(Document(origin="x.txt", text=text))
        assert isinstance(item, Skip) and item.code == "E107", text


def test_dates_that_are_not_dates_are_left_empty_with_a_note() -> None:
    from dyadwatch.clean.cleaner import parse_date

    assert parse_date("32 Jan") is None  # not 2032-01-01
    assert parse_date("-2023-01-01") is None  # not 2023-01-01
    assert parse_date("2024-02-30") is None
    assert parse_date("5 March") is None  # no year: not 1900
    assert parse_date("Mon, 04 Mar 2024 10:00:00 GMT") == dt.date(2024, 3, 4)
    assert parse_date("2024-03-02T10:00:00Z") == dt.date(2024, 3, 2)
    text = "Malian soldiers arrested two opposition activists in Bamako on Monday, the army said."
    art = clean(Document(origin="d.txt", text=text, date="32 Jan"))
    assert isinstance(art, Article) and art.published is None
    assert any("'32 Jan' not understood" in n for n in art.notes)


def test_a_paragraph_over_spacys_limit_is_split_into_sentences() -> None:
    text = "The army said talks went well. " * 40_000  # 1.24 million characters on one line
    art = clean(Document(origin="l.txt", text=text))
    assert isinstance(art, Article)
    paragraphs = art.text.split("\n\n")
    assert max(map(len, paragraphs)) <= 10_000 and len(paragraphs) > 100
    assert article_id(art.text) == article_id(text)  # the same body, only re-wrapped
    assert any("split" in n for n in art.notes)
    wall = clean(Document(origin="w.txt", text="and the army said that " * 60_000))  # no sentence end
    assert isinstance(wall, Article) and max(len(p) for p in wall.text.split("\n\n")) <= 10_000
