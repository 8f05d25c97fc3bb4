"""RSS 2.0 feeds: the site's, each dossier's and each story's, as text made from the corpus.

Every text node and attribute is XML-escaped here; titles and names come through
:func:`~generator.render.plain_title`, summaries through the pages' escaping module, so a feed reader
shows an article's text and never its markup.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from datetime import UTC, date, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape as xml_escape

from generator import kinds, links
from generator.corpus import Corpus, EntityInfo
from generator.render import plain_title, safe_url
from generator.render.escape import html_text

FEED_ITEMS = 50
# A dossier's or a story's feed is a watchlist that a reader polls: the newest ten cover what it missed
# between polls (as WordPress's and jekyll-feed's defaults), and a site has a feed per entity and
# story, each its items' summaries over again (bench/RESULTS.md has what they weigh).
WATCH_FEED_ITEMS = 10


def _abs(site_url: str, page: str) -> str:
    path = links.page_url(page)
    return urllib.parse.urljoin(site_url if site_url.endswith("/") else site_url + "/", path) if site_url else path


def _rfc822(iso: str) -> str | None:
    try:
        d = date.fromisoformat(iso[:10])
        return format_datetime(datetime(d.year, d.month, d.day, tzinfo=UTC))
    except ValueError:
        return None


def _el(tag: str, text: str, **attrs: str) -> str:
    a = "".join(f' {k}="{xml_escape(v, {chr(34): "&quot;"})}"' for k, v in attrs.items())
    return f"<{tag}{a}>{xml_escape(_xml_text(text))}</{tag}>"


class FeedItems(dict[str, str]):
    """Slug -> the briefing's ``<item>``, made on first lookup: the site's feed and every dossier's
    feed list the same items, a briefing in as many feeds as it names entities."""

    def __init__(self, corpus: Corpus, site_url: str) -> None:
        super().__init__()
        self.corpus, self.site_url = corpus, site_url

    def __missing__(self, slug: str) -> str:
        item = self[slug] = _item(self.corpus, slug, self.site_url)
        return item


def _item(corpus: Corpus, slug: str, site_url: str) -> str:
    card = corpus.cards[slug]
    url = _abs(site_url, links.briefing_path(slug))
    parts = ["<item>", _el("title", plain_title(card.title)), _el("link", url),
             _el("guid", url, isPermaLink="true" if site_url else "false"),
             _el("description", _description(card.summary))]
    when = _rfc822(card.date) if card.date else None
    if when:
        parts.append(_el("pubDate", when))
    parts += [_el("category", plain_title(m.name)) for m in [m for m in card.marks if m.kind == "actor"][:5]]
    source = safe_url(card.url)
    if source:
        parts.append(_el("source", plain_title(card.source) if card.source else source, url=source))
    parts.append("</item>")
    return "".join(parts)


def _channel(corpus: Corpus, slugs: Sequence[str], title: str, link: str, description: str,
             items: FeedItems) -> str:
    """RSS 2.0 of the briefings ``slugs`` (newest first); every text node and attribute XML-escaped."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0">', "<channel>",
           _el("title", title), _el("link", link), _el("description", description)]
    newest = next((corpus.cards[s].date for s in slugs if corpus.cards[s].date), None)
    if newest and _rfc822(newest):
        out.append(_el("lastBuildDate", _rfc822(newest) or ""))
    out.extend(map(items.__getitem__, slugs))
    out += ["</channel>", "</rss>"]
    return "\n".join(out) + "\n"


def story_feed_xml(corpus: Corpus, site_url: str, story_id: str, rank: dict[str, int] | None = None,
                   made: FeedItems | None = None) -> str:
    """RSS 2.0 of one story's newest reports (WATCH_FEED_ITEMS), newest first, linked to the story's
    page. ``rank``: each slug's place in ``corpus.order`` (made here when not given)."""
    members = corpus.stories[story_id]
    rank = rank if rank is not None else {s: i for i, s in enumerate(corpus.order)}
    title = plain_title(corpus.cards[members[0]].title)
    return _channel(corpus, sorted(members, key=rank.__getitem__)[:WATCH_FEED_ITEMS], f"Story: {title}",
                    _abs(site_url, links.entity_path("story", story_id)),
                    plain_title(f"The newest reports of one story, {corpus.story_count(story_id)} in all."),
                    made or FeedItems(corpus, site_url))


def feed_xml(corpus: Corpus, site_url: str, title: str = "Briefing book", items: int = FEED_ITEMS,
             made: FeedItems | None = None) -> str:
    """RSS 2.0 of the latest briefings; every text node and attribute XML-escaped.

    Titles, categories and source names are plain text (:func:`plain_title`: no character that
    markup needs); a description is HTML made by :func:`_description`."""
    return _channel(corpus, corpus.order[:items], title, site_url or "./",
                    "The latest structured briefings on security news.", made or FeedItems(corpus, site_url))


def entity_feed_xml(corpus: Corpus, info: EntityInfo, site_url: str, items: int = WATCH_FEED_ITEMS,
                    made: FeedItems | None = None) -> str:
    """RSS 2.0 of the latest briefings that name one entity (its dossier's list, capped at
    WATCH_FEED_ITEMS), linking to its dossier: an analyst follows one actor, weapon, concern or place in a reader."""
    # refs are in page order, newest first; a briefing is listed once.
    slugs = list(dict.fromkeys(r[0] for r in info.refs))[:items]  # Ref.slug
    name = plain_title(info.name)
    return _channel(corpus, slugs, f"{name}: briefings", _abs(site_url, links.entity_path(info.kind, info.id)),
                    f"The latest briefings that name {name} ({kinds.kind(info.kind).name}).",
                    made or FeedItems(corpus, site_url))


def _description(summary: tuple[str, ...]) -> str:
    """An item's description: HTML, as readers take it. The summary is escaped for HTML by the pages'
    escaping module (zero-width and bidi characters become spaces, as on the pages), and the element then escapes
    this HTML once more for XML: a reader decodes it to the article's text, never to its markup."""
    return f"<p>{html_text(' '.join(summary))}</p>" if summary else ""


# XML 1.0 forbids most control characters outright; an article carrying one must not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)
