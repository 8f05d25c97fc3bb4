"""Saved web pages (``.html``, ``.htm``): the article's main text and its metadata.

trafilatura finds the main text and drops navigation, related links and comments; it reads title,
author, date, site name and canonical URL from meta tags, JSON-LD and the page itself. It is tuned
for precision here: a missed boilerplate line would become a "fact" on a briefing, a missed
paragraph costs less. Its own boilerplate patterns already drop cookie and consent layers,
newsletter boxes and share bars (the fixtures in tests/fixtures/intake check this), so no extra
pruning rules are layered on top: each one risks cutting a real paragraph.

The SourceDoc's text is the extracted plain text, one paragraph per block separated by blank lines;
the title line leads it when the page repeats its headline, and ``body_start`` points past it.

:func:`html_to_text` is a small converter for HTML *fragments* (feed content), where trafilatura's
page-level heuristics would drop short entries.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.files import SUFFIXES
from generator.models import SourceDoc, Span
from generator.readers import ReadError, read_bytes_checked, register
from generator.readers.encoding import decode_text
from generator.readers.furniture import find_furniture
from generator.readers.language import detect
from generator.readers.text import derive_title

# htmldate bounds: fixed, so a page's date never depends on the day the build runs.
DATE_PARAMS = {"extensive_search": False, "original_date": True, "min_date": "1990-01-01", "max_date": "2100-12-31"}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "pre", "li", "ul", "ol", "dl", "dt", "dd", "table",
               "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "header", "footer", "main",
               "aside", "address", "hr", "br"}
# Link texts that only point to the full story; in a feed summary they are boilerplate, not text.
READ_MORE = re.compile(r"^\W*(read more|read the full (story|article)|continue reading|more|full story|"
                       r"weiterlesen|lire la suite|\[?(…|\.\.\.)\]?)\W*$", re.I)
# In-article promotions, as data, matched at the start of a paragraph. Labels need their colon
# ("Related: ..."), so a sentence such as "Related incidents were reported" stays.
PROMO_LABEL = re.compile(r"^\W*(read more|read also|also read|see also|related( stories| articles| coverage)?|"
                         r"recommended|more on this( story)?|watch|listen)\s*[:|–—]", re.I)
# Calls to action, only when the paragraph is short (a sentence could start "Subscribe ...").
PROMO_CALL = re.compile(r"^\W*(sign up|subscribe|follow us|advertisement|get (our|the) [\w ]{0,40}newsletter)\b",
                        re.I)
PROMO_FEED = re.compile(r"^the post .{1,300} appeared first on\b", re.I)  # WordPress feed footer
PROMO_MAX_WORDS = 30
PROMO_LINK_SHARE = 0.6
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "form", "button", "svg", "template",
              "input", "select", "textarea", "canvas", "video", "audio", "img", "link", "meta")


def decode_html(path: Path, data: bytes) -> str:
    """Decode a page, trusting its declared charset when the bytes are not UTF-8 and it decodes cleanly."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall back to detection
    return decode_text(path, data)


def _clean(line: str) -> str:
    return " ".join(line.split())


def _text_of(el: Any) -> str:
    """An element's text; a line break (<lb/>, from <br>) inside a paragraph is a space, not nothing."""
    parts = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            pass  # an HTML comment or processing instruction: its text is not the article's
        elif child.tag == "lb":
            parts.append(" ")
        else:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _link_share(el: Any, text: str) -> float:
    linked = sum(len(_clean(_text_of(r))) for r in el.iter("ref"))
    return linked / len(text) if text else 0.0


def is_promo_text(text: str) -> bool:
    """A paragraph that promotes other stories or the site, judged by its words alone."""
    short = len(text.split()) <= PROMO_MAX_WORDS
    return bool(PROMO_LABEL.match(text) or PROMO_FEED.match(text) or (short and PROMO_CALL.match(text)))


def is_promo(el: Any, text: str) -> bool:
    """A teaser for other stories or the site itself that sits inside the article body.

    trafilatura keeps such one-line paragraphs ("Read more: <link>", "RELATED: <link>", "Follow us
    on ...") because they are inside <article>. A short paragraph that is mostly link text, or that
    starts with a promotion cue, is not the article's text.
    """
    if is_promo_text(text):
        return True
    return len(text.split()) <= PROMO_MAX_WORDS and _link_share(el, text) >= PROMO_LINK_SHARE


def _paragraphs_from_tree(body: Any) -> list[tuple[str, bool]]:
    """(paragraph text, is heading) for each block of trafilatura's output tree, promotions left out."""
    out: list[tuple[str, bool]] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "list":
            for item in el.iter("item"):
                t = _clean(_text_of(item))
                if t and not is_promo(item, t):
                    out.append((t, False))
            continue
        if tag == "table":
            for row in el.iter("row"):
                cells = [_clean(_text_of(c)) for c in row]
                t = " | ".join(c for c in cells if c)
                if t:
                    out.append((t, False))
            continue
        t = _clean(_text_of(el))
        if t and not is_promo(el, t):
            out.append((t, tag == "head"))
    return out


def assemble(paragraphs: list[tuple[str, bool]], title: str | None) -> tuple[str, int, tuple[Span, ...]]:
    """Join paragraphs into the article text; return text, body_start and heading spans."""
    parts: list[str] = []
    heads: list[Span] = []
    pos = 0
    body_start = 0
    for i, (para, is_head) in enumerate(paragraphs):
        if i:
            parts.append("\n\n")
            pos += 2
        if i == 0 and title and _clean(para).casefold() == _clean(title).casefold():
            body_start = len(para) + 2 if len(paragraphs) > 1 else 0
        elif is_head:
            heads.append(Span(pos, pos + len(para), para))
        parts.append(para)
        pos += len(para)
    text = "".join(parts) + "\n"
    return text, body_start, tuple(heads)


def _iso_date(value: str | None) -> str | None:
    if value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return None


def _http_url(value: str | None) -> str | None:
    if value and re.match(r"^https?://[^\s/]+", value, re.I) and not re.search(r"\s", value):
        return value
    return None


class _NameTheFile(logging.Filter):
    """trafilatura's log lines name no file ("discarding data: None"): name it, or drop what we report."""

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = str(path)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("discarding data"):
            return False  # the ReadError raised for the same page says so, naming the file
        record.msg, record.args = "%s: %s (trafilatura)", (self.path, message)
        return True


@contextmanager
def _trafilatura_logs_name(path: Path | str) -> Iterator[None]:
    # A filter on a logger sees only that logger's own records, so it goes on each trafilatura module's.
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
               if name == "trafilatura" or name.startswith("trafilatura.")]
    named = _NameTheFile(path)
    for logger in loggers:
        logger.addFilter(named)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(named)


def parse_html(html: str, rel: str, path: Path | str, url: str | None = None) -> SourceDoc:
    """Extract the article from a page's HTML. ``url`` is where it was fetched from, if known."""
    import trafilatura

    try:
        with _trafilatura_logs_name(path):
            doc: Any = trafilatura.bare_extraction(
                html, url=url, favor_precision=True, include_comments=False, include_tables=True,
                include_images=False, include_links=True, with_metadata=True, deduplicate=False,
                date_extraction_params=DATE_PARAMS,
            )
    except Exception as exc:  # trafilatura/lxml raise many types on hostile markup; the file is what failed
        raise ReadError(path, f"could not be parsed as HTML ({type(exc).__name__}: {exc})") from exc
    if doc is None or getattr(doc, "body", None) is None:
        raise ReadError(path, "has no main article text that could be found (is it a listing or a login page?)")
    paragraphs = _paragraphs_from_tree(doc.body)
    if not paragraphs:
        raise ReadError(path, "has no main article text that could be found (is it a listing or a login page?)")
    title = _clean(doc.title or "") or None
    text, body_start, heads = assemble(paragraphs, title)
    site = _clean(doc.sitename or "") or None
    author = _clean(doc.author or "") or None
    furniture = merge_spans(text, find_furniture(text, body_start, title or ""), byline_spans(text, author))
    canonical = _http_url(doc.url) or _http_url(url)
    if not site and canonical:
        site = re.sub(r"^www\.", "", canonical.split("/")[2])
    return SourceDoc(
        path=rel, text=text, title=title or derive_title(text), body_start=body_start, headings=heads,
        date=_iso_date(doc.date), source=site, url=canonical, author=author,
        language=detect(text[body_start:]), furniture=furniture,
    )


def html_to_text(fragment: str, captions: list[Span] | None = None) -> tuple[str, tuple[Span, ...]]:
    """Plain text of an HTML fragment (feed content), paragraphs split by blank lines; heading spans.

    Scripts, styles, embeds and forms are dropped with their text. Entities are decoded once.
    The spans of figure captions (``figcaption``) are appended to ``captions`` when it is given.
    """
    import lxml.etree
    import lxml.html

    if not fragment.strip():
        return "", ()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _clean(fragment), ()
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        if bad is not root:
            bad.drop_tree()
    for a in list(root.iter("a")):
        if READ_MORE.match(a.text_content()):
            a.drop_tree()
    blocks: list[tuple[str, bool]] = []
    caption_blocks: set[int] = set()
    current: list[str] = []

    def flush(is_head: bool = False, caption: bool = False) -> None:
        t = _clean("".join(current))
        if t and not is_promo_text(t):
            if caption:
                caption_blocks.add(len(blocks))
            blocks.append((t, is_head))
        current.clear()

    def walk(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if el.text and tag:
            current.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush(tag in _HEADING_TAGS, tag == "figcaption")

    walk(root)
    flush()
    text, _, heads = assemble(blocks, None)
    if captions is not None and caption_blocks:
        pos = 0
        for i, (para, _head) in enumerate(blocks):  # ``assemble`` joins blocks with one blank line
            if i in caption_blocks:
                captions.append(Span(pos, pos + len(para), para))
            pos += len(para) + 2
    return (text if blocks else ""), heads


def byline_spans(text: str, author: str | None) -> list[Span]:
    """Paragraphs that only name the article's author ("By Jane Roe", "Jane Roe"): a byline the
    page's metadata already told."""
    if not author:
        return []
    names = {author.casefold(), f"by {author}".casefold()}
    out = []
    pos = 0
    for para in text.split("\n"):
        if para.strip().rstrip(",.").casefold() in names:
            start = pos + len(para) - len(para.lstrip())
            out.append(Span(start, start + len(para.strip()), para.strip()))
        pos += len(para) + 1
    return out


def merge_spans(text: str, *groups: Iterable[Span]) -> tuple[Span, ...]:
    """One sorted, non-overlapping tuple of the spans of every group."""
    out: list[Span] = []
    for s in sorted((sp for g in groups for sp in g), key=lambda sp: (sp.start, sp.end)):
        if out and s.start <= out[-1].end:
            if s.end > out[-1].end:
                last = out.pop()
                out.append(Span(last.start, s.end, text[last.start:s.end]))
            continue
        out.append(s)
    return tuple(out)


@register(*SUFFIXES["html"])
def read_html(path: Path, rel: str) -> SourceDoc:
    data = read_bytes_checked(path)
    # No line-length limit here, unlike text articles: minified pages are one long line by design,
    # and the limit applies to the extracted paragraphs' source, which trafilatura rebuilds.
    if b"\x00" in data[:8192] or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        html = decode_text(path, data)  # UTF-16 pages decode here; binary is refused, naming the file
    else:
        html = decode_html(path, data)
    return parse_html(html, rel, path)
