"""Chrome out, attribution and date kept — for flattened text and for HTML."""

from __future__ import annotations

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
