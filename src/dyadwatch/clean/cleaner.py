"""Stage 2 — clean: site chrome out, attribution and publication date kept.

Works the same whether the page arrives as HTML (trafilatura extracts the body, comments off) or
as already-flattened text. Removed pieces are kept on the article as :class:`Chrome` records:
they are provenance, and later stages use them as syndication signals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlparse

from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Article, Chrome, Document, Skip

FiniteVerbTest = Callable[[str], bool]

_ATTRIBUTION = re.compile(
    r"^(?:original(?:ly)?\s+(?:source|published\s+(?:at|on|by|in))|source\s+link|via"
    r"|this\s+(?:article|story)\s+(?:was\s+)?(?:first|originally)\s+(?:appeared|published)\s+(?:on|in|at))"
    r"\s*:?\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_SOURCE_URL = re.compile(r"^source\s*:\s*(?P<value>(?:https?://)?[\w.-]+\.[a-z]{2,}(?:/\S*)?)\s*$", re.I)
_COMMENT_START = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|add (?:a )?comment|\d+\s+comments?|comments?|"
    r"join the (?:discussion|conversation)|what do you think\??)\s*:?$",
    re.IGNORECASE,
)
_COMMENT_LINE = re.compile(
    r"your email address will not be published|required fields are marked|"
    r"save my name, email|notify me of (?:new|follow-up)|you must be logged in to post",
    re.IGNORECASE,
)
_BIO_START = re.compile(r"^about (?:the )?(?:author|[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*:?$", re.I)
_BIO_END = re.compile(
    r"^(?:view all posts by|more (?:articles|posts|stories) (?:by|from)|follow \w+ on)\b", re.I
)
_BIO_BODY = re.compile(
    r"\bis (?:an?|the) [\w\s,-]{0,60}?(?:journalist|editor|writer|reporter|correspondent|columnist|"
    r"contributor|author|analyst)\b",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^(?:share(?: this(?: article| story| post)?)?(?: on \w+)?|tweet|email|print|whatsapp|facebook|twitter|"
    r"linkedin|telegram|pinterest|reddit|x|copy link|like this|loading\.\.\.|advertisement|"
    r"related(?: posts| articles| stories| news)?|read more|recommended(?: for you)?|"
    r"click to (?:share|print|email)\b.*|(?:tags|filed under|categories|topics)\s*:.*|"
    r"(?:subscribe|sign up)\b.*(?:newsletter|updates|inbox|alerts).*|"
    r"(?:also read|see also|read also)\s*:.*|©.*|copyright\b.*|all rights reserved\.?)\s*[:!.]?$",
    re.IGNORECASE,
)
_CAPTION_PREFIX = re.compile(
    r"^(?:\(?(?:photo|image|picture|illustration|caption|credit|file photo)\b\s*[:)|-])", re.I
)
_CAPTION_WORDS = frozenset(
    [
        "landscape",
        "scenery",
        "image",
        "photo",
        "photograph",
        "picture",
        "illustration",
        "illustrative",
        "depicting",
        "depicts",
        "showcasing",
        "showing",
        "featuring",
        "representing",
        "symbolizing",
        "symbolising",
        "vibrant",
        "colorful",
        "colourful",
        "colors",
        "colours",
        "tones",
        "hues",
        "accents",
        "abstract",
        "backdrop",
        "serene",
        "scenic",
        "silhouette",
        "silhouetted",
        "close-up",
        "shapes",
        "atmosphere",
        "pictured",
        "stock",
        "aerial",
        "panoramic",
        "sunset",
        "sunrise",
    ]
)
_DATE_LINE = re.compile(
    r"^(?:published|posted|date|updated|first published)(?: on)?\s*:?\s*(?P<value>.{6,40})$", re.I
)
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "was",
        "by",
        "it",
        "at",
        "from",
        "are",
        "be",
        "this",
        "have",
        "has",
        "an",
        "not",
        "but",
        "or",
        "which",
        "were",
        "their",
        "its",
        "they",
        "been",
        "had",
        "will",
        "said",
        "after",
        "also",
        "more",
        "than",
        "who",
        "would",
        "about",
        "against",
    ]
)


def clean(doc: Document, has_finite_verb: FiniteVerbTest | None = None) -> Article | Skip:
    """Turn a raw Document into an Article, or a Skip when nothing usable is left."""
    title, date, url, source = doc.title, doc.date, doc.url, doc.source
    text = doc.text
    if doc.fmt == "html":
        extracted = _extract_html(text)
        if extracted is None:
            return _skip("E108", doc.origin)
        text, meta = extracted
        title, date = title or meta.get("title"), date or meta.get("date")
        url, source = url or meta.get("url"), source or meta.get("sitename")
    paragraphs, split = _bounded(_paragraphs(text))
    if title is None and len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        title = paragraphs.pop(0)
    elif title and paragraphs and _norm(paragraphs[0]) == _norm(title):
        paragraphs.pop(0)  # trafilatura repeats the <h1> as the first line
    body, chrome, attributed, line_date = _strip_chrome(paragraphs, has_finite_verb)
    if not body:
        return _skip("E108", doc.origin)
    body_text = "\n\n".join(body)
    reason = _not_english(body_text)
    if reason:
        return _skip("E107", doc.origin, reason=reason)
    published = parse_date(date) or parse_date(line_date)
    notes = doc.notes + tuple(f"a paragraph of {n:,} characters split into sentences" for n in split)
    if published is None and (date or line_date):
        notes += (f"date {(date or line_date or '')[:40]!r} not understood; publication date left empty",)
    return Article(
        id=article_id(body_text),
        origin=doc.origin,
        text=body_text,
        external_id=doc.external_id,
        title=title,
        url=url,
        source=source,
        attributed_source=attributed,
        published=published,
        chrome=tuple(chrome),
        notes=notes,
    )


def article_id(text: str) -> str:
    """Stable content hash: the same body text (modulo case and white space) gives the same id."""
    norm = " ".join(text.lower().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def parse_date(value: str | None) -> dt.date | None:
    """A publication date from an ISO date or a written one ("Mon, 4 Mar 2024", "Published: March 5,
    2024"); None for anything without a four-digit year ("32 Jan" is no date of 2032) or signed
    ("-2023-01-01" is not 2023)."""
    if not value:
        return None
    value = value.strip()
    if value[:1] in "-+":
        return None
    iso = re.match(r"\d{4}-\d{2}-\d{2}", value)
    if iso:
        try:
            return dt.date.fromisoformat(iso.group())
        except ValueError:
            return None
    years = set(re.findall(r"(?<!\d)\d{4}(?!\d)", value))
    if not years:
        return None
    from dateutil import parser as dateutil_parser

    try:
        parsed: dt.datetime = dateutil_parser.parse(value[:200], fuzzy=True, default=dt.datetime(1900, 1, 1))
    except (ValueError, OverflowError):
        return None
    return parsed.date() if f"{parsed.year:04d}" in years else None


MAX_PARAGRAPH = 10_000  # characters; longer paragraphs are split at sentence ends (spaCy stops at 1,000,000)


def _bounded(paragraphs: list[str]) -> tuple[list[str], list[int]]:
    """Paragraphs no longer than MAX_PARAGRAPH, and the lengths of those that had to be split."""
    if all(len(p) <= MAX_PARAGRAPH for p in paragraphs):
        return paragraphs, []
    out: list[str] = []
    split: list[int] = []
    for par in paragraphs:
        if len(par) <= MAX_PARAGRAPH:
            out.append(par)
            continue
        split.append(len(par))
        piece = ""
        for sentence in re.split(r"(?<=[.!?])\s+", par):
            while len(sentence) > MAX_PARAGRAPH:  # no sentence end: cut at the last space, else hard
                cut = sentence.rfind(" ", 0, MAX_PARAGRAPH)
                cut = cut if cut > 0 else MAX_PARAGRAPH
                out.extend(p for p in (piece, sentence[:cut].strip()) if p)
                piece, sentence = "", sentence[cut:].strip()
            if piece and len(piece) + 1 + len(sentence) > MAX_PARAGRAPH:
                out.append(piece)
                piece = ""
            piece = f"{piece} {sentence}" if piece else sentence
        if piece:
            out.append(piece)
    return out, split


def _skip(code: str, origin: str, **fields: object) -> Skip:
    return Skip(origin, code, DyadwatchError(code, origin=origin, **fields).message)


def _extract_html(html: str) -> tuple[str, dict[str, str | None]] | None:
    import trafilatura

    result = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, include_images=False, with_metadata=True
    )
    if result is None:
        return None
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    if not text.strip():
        return None
    meta = {k: data.get(k) for k in ("title", "date", "url", "sitename")}
    return text, meta


def _paragraphs(text: str) -> list[str]:
    """One paragraph per line; hard-wrapped prose (a line ending mid-sentence, the next starting in
    lower case) is joined back together."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    out: list[str] = []
    joinable = False
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            joinable = False
            continue
        if joinable and out and line[:1].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joinable = not out[-1].endswith((".", "!", "?", ":", '"', "”", ")", "*", "→"))
    return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _looks_like_title(par: str) -> bool:
    """A headline: short, and not ending like a sentence (a lone sentence is never a title)."""
    words = par.split()
    return 1 < len(words) <= 20 and not par.endswith((".", "!", ":", ";", ","))


def _strip_chrome(
    paragraphs: list[str], has_finite_verb: FiniteVerbTest | None
) -> tuple[list[str], list[Chrome], str | None, str | None]:
    body: list[str] = []
    chrome: list[Chrome] = []
    attributed: str | None = None
    line_date: str | None = None
    in_bio = 0
    for i, par in enumerate(paragraphs):
        if _COMMENT_START.match(par):
            chrome.extend(Chrome("comment_form", p, len(body)) for p in paragraphs[i:])
            break
        if in_bio:
            chrome.append(Chrome("author_bio", par, len(body)))
            in_bio = 0 if _BIO_END.match(par) else in_bio - 1
            continue
        kind = _classify(par, i, len(body), has_finite_verb if i + 1 < len(paragraphs) else None)
        if kind == "attribution":
            attributed = attributed or _source_host(par)
        elif kind == "date":
            match = _DATE_LINE.match(par)
            line_date = line_date or (match.group("value") if match else None)
        elif kind == "author_bio_start":
            kind, in_bio = "author_bio", 3
        if kind is None:
            body.append(par)
        else:
            chrome.append(Chrome(kind, par, len(body)))
    return body, chrome, attributed, line_date


def _classify(par: str, index: int, kept: int, has_finite_verb: FiniteVerbTest | None) -> str | None:
    words = par.split()
    if _COMMENT_LINE.search(par):
        return "comment_form"
    if _ATTRIBUTION.match(par) or _SOURCE_URL.match(par):
        return "attribution"
    if len(words) <= 6 and _BIO_START.match(par):
        return "author_bio_start"
    if _BIO_END.match(par) or (len(words) <= 80 and _BIO_BODY.search(par) and kept > 2 and _is_tail_bio(par)):
        return "author_bio"
    if re.fullmatch(r"[\d.,]+", par):
        return "counter"
    if len(words) <= 12 and _BOILERPLATE.match(par):
        return "share"
    if len(words) <= 8 and _DATE_LINE.match(par):
        return "date"
    if len(words) <= 35 and _is_caption(par, words, kept, has_finite_verb):
        return "caption"
    return None


def _is_tail_bio(par: str) -> bool:
    return bool(re.search(r"\b(?:degree|graduat|experience|career|worked|holds|based in)\w*", par, re.I))


def _is_caption(par: str, words: list[str], kept: int, has_finite_verb: FiniteVerbTest | None) -> bool:
    if _CAPTION_PREFIX.match(par):
        return True
    hits = sum(1 for w in words if w.lower().strip(".,;:") in _CAPTION_WORDS)
    if hits >= 3 or (hits >= 2 and len(words) <= 20):
        return True
    # A short verbless line at the top of the body is an image caption, not a lead sentence.
    if kept <= 1 and len(words) <= 25 and has_finite_verb is not None:
        return not has_finite_verb(par)
    return False


def _source_host(par: str) -> str:
    match = _ATTRIBUTION.match(par) or _SOURCE_URL.match(par)
    value = (match.group("value") if match else par).strip().rstrip(".")
    host = urlparse(value if "://" in value else f"//{value}").netloc or value
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _not_english(text: str) -> str | None:
    """Why a body is not English, or None. Names (capitalised words that are not function words) are
    no evidence either way, so a sentence of names and titles passes; a text mostly in another
    script (Chinese, Arabic, Cyrillic) fails however few spaces it has."""
    letters = [ch for ch in text[:20_000] if ch.isalpha()]
    if len(letters) >= 20:
        latin = sum(1 for ch in letters if ch < "\u0250" or "\u1e00" <= ch <= "\u1eff")
        if latin < 0.5 * len(letters):
            return f"only {latin / len(letters):.0%} of letters are in the Latin alphabet"
    words = re.findall(r"[^\W\d_]+", text)
    counted = [w.lower() for w in words if w[:1].islower() or w.lower() in _ENGLISH]
    if len(counted) < 12:
        return None
    share = sum(1 for w in counted if w in _ENGLISH) / len(counted)
    if share >= (0.12 if len(counted) >= 40 else 0.1):  # names do not count, so short texts need fewer
        return None
    return f"only {share:.0%} of words are common English words"
