"""The generated pages, checked as Markdown: what a reader sees, and that article text stays text."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from sitefixture import fixture_corpus, markdown_pages, redated_corpus

from generator import links
from generator.corpus import Corpus
from generator.outputs import site_outputs
from generator.render import MAX_TAGS, tags_for

HOSTILE = '<img src=x onerror=alert(1)> "]) --> x; click a0 href "javascript:alert(2)"'


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return fixture_corpus()


@pytest.fixture(scope="module")
def out(corpus: Corpus) -> dict[str, str | bytes]:
    return site_outputs(corpus, "https://briefs.example.org/book/")


def text(out: dict[str, str | bytes], path: str) -> str:
    v = out[path]  # the data files come encoded (see outputs._encoded)
    return v.decode("utf-8") if isinstance(v, bytes) else v


def front_matter(page: str) -> str:
    return page.split("---\n")[1]


def test_briefing_top_answers_what_who_with_what_why(out: dict[str, str | bytes]) -> None:
    page = text(out, "briefings/putin-thanks-north-korea.md")
    head = page[: page.index("## Relationships")]
    original = "[original article](https://news.example.org/putin-thanks-north-korea?id=1&ref=rss)"
    assert f"2023-07-27 · Test Wire · {original} · 1 min read" in head
    assert '!!! abstract "Bottom line"\n    Russian President Vladimir Putin thanked' in head
    assert "| [Vladimir Putin](../actors/vladimir-putin.md) | person |" in head
    assert "| [Hwasong-18](../weapons/hwasong-18.md) | ICBM | North Korea | 1 |" in head
    assert "**[Sanctions violations](../concerns/sanctions-violation.md)**\n\n> The presence of officials" in head
    # Order a reader skims in: bottom line, actors, weapons, concerns, then the rest.
    order = [head.index(h) for h in ("Bottom line", "## Key actors", "## Weapons", "## Concerns")]
    assert order == sorted(order)


def test_briefing_byline_tags_are_few_salient_and_link_to_their_dossiers(corpus: Corpus,
                                                                         out: dict[str, str | bytes]) -> None:
    for slug, b in corpus.briefings.items():
        page = text(out, links.briefing_path(slug))
        tags = tags_for(b)
        assert len(tags) <= MAX_TAGS and len({name.casefold() for _, _, name in tags}) == len(tags)
        # Ours, on the byline: no front-matter tags for a theme plugin to list on a page of its own.
        assert "tags" not in yaml.safe_load(front_matter(page))
        byline = page.split("\n# ", 1)[1].split("\n\n")[1]
        if not tags:
            assert "tags: " not in byline
            continue
        assert byline.count(" · tags: ") == 1
        linked = re.findall(r"\[[^\]]*\]\(\.\./([a-z]+/[^)]+)\)", byline.split(" · tags: ")[1])
        assert linked == [links.entity_path(kind, eid) for kind, eid, _ in tags]
        assert all(target in out for target in linked), "each tag links to a dossier the site has"
    big = tags_for(corpus.briefings["putin-thanks-north-korea"])
    assert len(big) == MAX_TAGS
    assert {"North Korea", "Hwasong-18", "Sanctions violations"} <= {name for _, _, name in big}  # every kind's turn
    page = text(out, "briefings/putin-thanks-north-korea.md")
    assert "1 min read · tags: [North Korea](../actors/north-korea.md), [Hwasong-17](../weapons/hwasong-17.md)" in page


def test_source_text_links_each_entity_where_first_named_and_escapes_between(out: dict[str, str | bytes]) -> None:
    page = text(out, "briefings/putin-thanks-north-korea.md")
    src = page[page.index("??? quote"):]
    assert "    Russian President [Vladimir Putin](../actors/vladimir-putin.md) thanked [North Korea](" in src
    # Later mentions are plain, among them a capital as metonym for its state, named before.
    assert "in Pyongyang." in src
    targets = re.findall(r"\]\((\.\./[a-z]+/[^)]+)\)", src)
    assert targets and len(targets) == len(set(targets)), "each dossier linked once"
    assert "    **Display of military strength**" in src
    assert src.count("](../weapons/hwasong-18.md)") == 1


def test_hostile_name_stays_text_everywhere(out: dict[str, str | bytes]) -> None:
    for path, v in out.items():
        if isinstance(v, str) and path.endswith(".md"):
            body = v.split("---\n", 2)[2]  # front matter is YAML text the theme escapes; the body is Markdown
            assert "<img" not in body, path
            assert "javascript:" not in body, path
    briefing = text(out, "briefings/undated-claims.md")
    assert "[&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in briefing


def test_diagram_ties_are_operates_part_of_and_raises_from_actors(corpus: Corpus) -> None:
    from generator.render.diagram import MAX_NODES, relationships

    seen = set()
    for slug, b in corpus.briefings.items():
        nodes, edges = relationships(b, corpus.kb)
        kind = {n.id: n.kind for n in nodes}
        assert len(nodes) <= MAX_NODES
        assert {n.id for n in nodes} == {e.a for e in edges} | {e.b for e in edges}, slug  # no loose node
        for e in edges:
            assert (kind[e.a], e.label, kind[e.b]) in {("actor", "operates", "weapon"), ("actor", "part of", "actor"),
                                                       ("actor", "raises", "concern")}, (slug, e)
            seen.add(e.label)
    assert seen == {"operates", "part of", "raises"}


def test_mermaid_diagram_uses_our_ids_and_safe_labels(out: dict[str, str | bytes]) -> None:
    for slug in ("putin-thanks-north-korea", "undated-claims"):
        page = text(out, links.briefing_path(slug))
        block = page[page.index("```mermaid\n") + 11:]
        block = block[: block.index("```")]
        lines = block.splitlines()
        assert lines[0] == "flowchart LR"
        label = r"[\w .,'/-]+…?"
        node = re.compile(rf'^  [awc]\d+(\(\["{label}"\]\)|\[\["{label}"\]\]|\{{\{{"{label}"\}}\}})$')
        edge = re.compile(rf'^  [awc]\d+ (-->|---)\|"{label}"\| [awc]\d+$')
        style = re.compile(r"^  (classDef (actor|weapon|concern) [a-z:#0-9,]+"
                           r"|class [awc0-9,]+ (actor|weapon|concern))$")
        # The text alternative: a fixed title, then the ties as sentences of the same safe labels.
        assert lines[1] == "  accTitle: Relationships in this briefing"
        assert re.fullmatch(r"  accDescr: [\w .,'/…-]+", lines[2]), lines[2]
        for line in lines[3:]:
            assert node.match(line) or edge.match(line) or style.match(line), line
    hostile = text(out, "briefings/undated-claims.md")
    assert '  a0(["img src x onerror alert 1 -- x click a0…"])' in hostile


def test_mermaid_is_shipped_with_its_shim(out: dict[str, str | bytes]) -> None:
    assert "assets/briefing/vendor/mermaid/mermaid.min.js" in out
    shim = out["assets/briefing/js/mermaid-shim.js"]
    assert isinstance(shim, bytes) and b"../vendor/mermaid/mermaid.min.js" in shim
    assert "<script" not in text(out, "briefings/putin-thanks-north-korea.md")  # the shim loads it, lazily


def test_dossier_facts_chart_and_briefings_newest_first(out: dict[str, str | bytes]) -> None:
    page = text(out, "weapons/hwasong-18.md")
    assert "- **Category:** ICBM" in page and "- **Operator:** [North Korea](../actors/north-korea.md)" in page
    assert "- **Also written:** Hwasong 18" in page
    assert "2 briefings · first seen 2023-04-13 · last seen 2023-07-27" in page
    assert ("![Bar chart of briefings per month, 2023-04 to 2023-07&#58; 2 in all, most &#40;1&#41; in 2023-04 and "
            "2023-07.](../assets/briefing/charts/weapons/hwasong-18.svg)") in page
    assert "| 2023-05 | 0 |" in page  # the chart's counts, as a table under it
    # Putin's thanks and Shoigu's visit are reports of one story: listed once, as the story.
    story = "2023-07-27 · [Shoigu visits Pyongyang as arms talks deepen](../stories/2023-07-26-shoigu-visits"
    assert page.count("Shoigu visits Pyongyang") == 1 and "(../briefings/putin-thanks-north-korea.md)" not in page
    assert page.index(story) < page.index("2023-04-13 · [North Korea tests")
    assert "> The parade featured the <mark>Hwasong-18</mark>, a solid-fuelled ICBM, alongside the Hwasong-17." in page


def test_actor_dossier_lists_its_weapons_and_concerns(out: dict[str, str | bytes]) -> None:
    page = text(out, "actors/north-korea.md")
    operated = page[page.index("## Weapons it operates"):]
    operated = operated[: operated.index("\n## ")]
    assert "[Hwasong-17](../weapons/hwasong-17.md) · [Hwasong-18](../weapons/hwasong-18.md)" in operated
    assert "## Weapons in its briefings" in page and "## Concerns in its briefings" in page
    assert "[Arms transfers](../concerns/arms-transfer.md) (3)" in page
    assert "- **Type:** country" in page and "East Asian state on the northern half" in page
    appears = page[page.index("## Appears with"):]
    assert appears.index("Kim Jong Un") < appears.index("Iskander") if "Iskander" in appears else True


def test_timeline_groups_by_month_newest_first_with_undated_apart(out: dict[str, str | bytes]) -> None:
    page = text(out, "timeline.md")
    heads = re.findall(r"^## (.+)$", page, re.M)
    assert heads == ["July 2023", "April 2023", "November 2022", "Undated"]
    july = page[page.index("## July 2023"): page.index("## April 2023")]
    assert july.index("2023-07-27") < july.index("2023-07-26")
    assert "undated-claims.md" in page[page.index("## Undated"):]


def test_kind_index_by_count_and_by_name(out: dict[str, str | bytes]) -> None:
    page = text(out, "actors/index.md")
    by_count = page[page.index("## By number of briefings"): page.index("## By name")]
    names = re.findall(r"^\| \[([^\]]+)\]", by_count, re.M)
    assert names[0] == "North Korea"  # in four of the five briefings
    by_name = page[page.index("## By name"):]
    listed = re.findall(r"^\| \[([^\]]+)\]", by_name, re.M)
    assert listed == sorted(listed, key=lambda n: n.casefold()) and "China" in listed
    assert "*(discovered)*" in page


def test_feed_is_valid_rss_with_source_dates_only(out: dict[str, str | bytes]) -> None:
    root = ET.fromstring(text(out, "feed.xml"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items][:2] == [
        "Putin thanks North Korea for ”firm support” in Ukraine war", "Shoigu visits Pyongyang as arms talks deepen"]
    assert items[0].findtext("link") == "https://briefs.example.org/book/briefings/putin-thanks-north-korea/"
    assert items[0].findtext("pubDate") == "Thu, 27 Jul 2023 00:00:00 +0000"
    assert root.findtext("./channel/lastBuildDate") == "Thu, 27 Jul 2023 00:00:00 +0000"
    undated = next(i for i in items if "Claims by" in (i.findtext("title") or ""))
    assert undated.find("pubDate") is None
    assert "‹img" in (undated.findtext("title") or "")
    src = items[0].find("source")
    assert src is not None and src.get("url") == "https://news.example.org/putin-thanks-north-korea?id=1&ref=rss"


def test_feed_description_is_one_paragraph_of_the_summary_text(corpus: Corpus, out: dict[str, str | bytes]) -> None:
    items = ET.fromstring(text(out, "feed.xml")).findall("./channel/item")
    assert len(items) == len(corpus.order)
    for item, slug in zip(items, corpus.order, strict=True):
        description = item.findtext("description") or ""  # decoded once, as a reader decodes the XML
        m = re.fullmatch(r"<p>([^<>]*)</p>", description)
        assert m, description  # no element but the paragraph: the article's markup is character references
        assert html.unescape(m.group(1)) == " ".join(" ".join(corpus.cards[slug].summary).split())
    hostile = next(i.findtext("description") or "" for i in items if "Claims by" in (i.findtext("title") or ""))
    assert "itself &lt;img src=x onerror=alert(1)&gt; &quot;]) --&gt; x; click a0" in hostile


def test_json_exports_have_the_record_shape(corpus: Corpus, out: dict[str, str | bytes]) -> None:
    listing = json.loads(text(out, "data/briefings.json"))
    assert [b["slug"] for b in listing] == list(corpus.order)
    assert listing[0]["record"] == "data/briefings/putin-thanks-north-korea.json"
    assert "vladimir-putin" in listing[0]["actors"] and "hwasong-18" in listing[0]["weapons"]
    # every briefing has its whole record in a file of its own, and nothing else is under data/briefings/
    assert sorted(p for p in out if p.startswith("data/briefings/")) == sorted(b["record"] for b in listing)
    first = json.loads(text(out, listing[0]["record"]))
    keys = {"source", "title", "date", "summary", "actors", "weapons", "locations", "concerns", "slug", "url", "page"}
    assert keys <= set(first)
    assert first["page"] == listing[0]["page"] == "briefings/putin-thanks-north-korea/"
    assert first["url"] == listing[0]["url"] == "https://news.example.org/putin-thanks-north-korea?id=1&ref=rss"
    putin = next(a for a in first["actors"] if a["id"] == "vladimir-putin")
    m = putin["mentions"][0]
    assert corpus.briefings["putin-thanks-north-korea"].doc.text[m["start"]:m["end"]] == m["text"] == "Vladimir Putin"
    entities = json.loads(text(out, "data/entities.json"))
    nk = next(e for e in entities if e["id"] == "north-korea")
    assert nk["kind"] == "actor" and nk["type"] == "country" and nk["briefings"] == 4
    assert "north-korea" in listing[0]["actors"] and "Pyongyang" in nk["aliases"]
    h18 = next(e for e in entities if e["id"] == "hwasong-18")
    assert h18["category"] == "ICBM" and h18["url"] == "weapons/hwasong-18/"


def test_network_data_joins_actors_and_weapons(out: dict[str, str | bytes]) -> None:
    net = json.loads(text(out, "data/network.json"))
    kinds = {n["kind"] for n in net["nodes"]}
    assert kinds == {"actor", "weapon"}
    ids = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids and e["weight"] >= 1 for e in net["edges"])
    w = {(e["source"], e["target"]): e["weight"] for e in net["edges"]}
    assert w[("actor:kim-jong-un", "actor:north-korea")] == 3
    page = text(out, "network.md")
    assert 'data-src="../data/network.json"' in page
    assert '<script src="../assets/briefing/vendor/cytoscape/cytoscape.min.js"></script>' in page
    # fCoSE after Cytoscape.js, each library after the one it reads, and ours last.
    scripts = re.findall(r'<script src="\.\./assets/briefing/([\w./-]+)"></script>', page)
    assert scripts == ["vendor/cytoscape/cytoscape.min.js", "vendor/layout-base/layout-base.js",
                       "vendor/cose-base/cose-base.js", "vendor/cytoscape-fcose/cytoscape-fcose.js", "js/network.js"]
    assert all(f"assets/briefing/{s}" in out for s in scripts)


def test_outputs_are_deterministic(corpus: Corpus, out: dict[str, str | bytes]) -> None:
    assert site_outputs(fixture_corpus(), "https://briefs.example.org/book/") == out


def test_vendored_licences_ship_with_the_libraries(out: dict[str, str | bytes]) -> None:
    for lib in ("mermaid", "cytoscape", "layout-base", "cose-base", "cytoscape-fcose", "iframe-worker"):
        lic = out[f"assets/briefing/vendor/{lib}/LICENSE"]
        assert isinstance(lic, bytes) and b"Permission is hereby granted" in lic


def test_home_lists_latest_and_most_mentioned_over_a_small_book_whole(out: dict[str, str | bytes]) -> None:
    page = text(out, "index.md")
    # Five briefings: the latest fifty hold them all, so everything is counted, the 2022 one too.
    assert "## Most mentioned\n" in page
    table = page[page.index("## Most mentioned"):]
    assert "[Iskander](weapons/iskander.md) (1)" in table
    assert "[North Korea](actors/north-korea.md) (4)" in table
    latest = page[page.index("## Latest briefings"): page.index("## Most mentioned")]
    # Putin's thanks and Shoigu's visit, one story, are listed once with its count.
    assert "putin-thanks-north-korea" not in latest and "shoigu-in-pyongyang" not in latest
    assert latest.index("(stories/2023-07-26-shoigu-visits-pyongyang-as-arms-talks-deepen.md) · 2 reports") < \
        latest.index("undated")


def _days(start: str, count: int) -> list[str]:
    first = dt.date.fromisoformat(start)
    return [(first + dt.timedelta(days=i)).isoformat() for i in range(count)]


def test_most_mentioned_counts_the_latest_fifty_when_they_outnumber_the_last_thirty_days() -> None:
    # Eleven briefings in the 30 days to 1 August 2023, sixty older Iskander ones before.
    plan = [("hwasong-18-test.md", "2023-08-01"),
            *(("putin-thanks-north-korea.md", d) for d in _days("2023-07-10", 10)),
            *(("iskander-drills.md", d) for d in _days("2023-01-01", 60))]
    page = text(site_outputs(redated_corpus(plan), "https://briefs.example.org/"), "index.md")
    table = page[page.index("## Most mentioned in the latest 50 briefings\n"):]
    assert "[Iskander](weapons/iskander.md) (39)" in table  # the newest 39 of the 60
    assert "[Russia](actors/russia.md) (49)" in table
    assert "[North Korea](actors/north-korea.md) (11)" in table


def test_most_mentioned_counts_the_last_thirty_days_when_they_hold_more_than_fifty() -> None:
    # One article in August (a calendar month would count it alone), 55 in the thirty days up to it
    # (2023-07-03 to 2023-08-01), one the day before they start, ten Iskander ones in May.
    plan = [("hwasong-18-test.md", "2023-08-01"), *(("shoigu-in-pyongyang.md", d) for d in _days("2023-07-03", 29)),
            *(("putin-thanks-north-korea.md", d) for d in _days("2023-07-03", 25)),
            ("putin-thanks-north-korea.md", "2023-07-02"),
            *(("iskander-drills.md", d) for d in _days("2023-05-01", 10))]
    page = text(site_outputs(redated_corpus(plan), "https://briefs.example.org/"), "index.md")
    table = page[page.index("## Most mentioned in the 30 days to 1 August 2023\n"):]
    assert "[North Korea](actors/north-korea.md) (55)" in table
    assert "[Russia](actors/russia.md) (54)" in table
    assert "[Vladimir Putin](actors/vladimir-putin.md) (25)" in table
    assert "Iskander" not in table


def test_diagram_keeps_at_most_two_raisers_per_concern(out: dict[str, str | bytes]) -> None:
    page = text(out, "briefings/putin-thanks-north-korea.md")
    block = page[page.index("```mermaid"):]
    raises = re.findall(r'^  [aw]\d+ -->\|"raises"\| (c\d+)$', block[: block.index("```", 5)], re.M)
    assert raises and max(raises.count(c) for c in set(raises)) <= 2


def test_long_evidence_is_cut_to_two_quotes_with_a_count(corpus: Corpus) -> None:
    from dataclasses import replace

    from generator.pipeline import build_corpus
    from generator.render import Renderer

    b = corpus.briefings["putin-thanks-north-korea"]
    c = replace(b.concerns[0], evidence=b.sentences[:4])
    c2 = build_corpus({**corpus.briefings, "putin-thanks-north-korea": replace(b, concerns=(c,))}, corpus.kb)
    page = Renderer(c2).briefing("putin-thanks-north-korea")
    section = page[page.index("## Concerns"): page.index("## Who says what")]
    assert section.count("\n> ") == 2 and "*and 2 more sentences in the source text*" in section


def test_an_empty_book_still_renders_every_index(corpus: Corpus) -> None:
    from generator.pipeline import build_corpus

    empty = site_outputs(build_corpus({}, corpus.kb), "")
    for page in ("index.md", "briefings/index.md", "actors/index.md", "timeline.md", "network.md"):
        assert page in empty
    assert "No dated briefings yet." in text(empty, "timeline.md")
    assert json.loads(text(empty, "data/network.json")) == {"nodes": [], "edges": []}
    assert ET.fromstring(text(empty, "feed.xml")).findall("./channel/item") == []


def test_a_dossier_quotes_its_newest_briefings_and_lists_older_ones_a_line_each(corpus: Corpus) -> None:
    from generator.render import Renderer

    info = max(corpus.entities.values(), key=lambda e: (len(e.refs), e.key))
    assert len(info.refs) >= 3 and all(corpus.quote(r) for r in info.refs[:2])
    # Without statements, which quote and link briefings of their own.
    full = Renderer(corpus, statements=0).entity(info)
    short = Renderer(corpus, quoted=2, statements=0).entity(info)
    # A story of several reports is one item, at its newest briefing naming the entity.
    shown, stories = [], set()
    for r in info.refs:
        sid = corpus.story(r.slug)
        if sid is None or sid not in stories:
            shown.append((r, links.briefing_path(r.slug) if sid is None else links.entity_path("story", sid)))
            stories.add(sid)
    assert len(shown) >= 3 and len(shown) < len(info.refs)
    assert "## Older briefings" not in full and full.count("\n    > ") == sum(1 for r, _ in shown if corpus.quote(r))
    head, tail = short.split("\n## Older briefings\n")
    assert head.count("\n    > ") == 2 and "\n    > " not in tail
    assert f"{len(shown) - 2:,} more, one line each" in tail
    # Every item is still listed, newest first, each once.
    at = [short.index(f"(../{target})") for _, target in shown]
    assert at == sorted(at) and len(set(at)) == len(at)
    assert all(short.count(f"(../{target})") == 1 for _, target in shown)


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@given(_JSONISH)
def test_data_files_are_written_as_compact_json_would_write_them(value: object) -> None:
    from generator.render.exports import _dump

    assert _dump(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_a_lone_surrogate_or_a_huge_integer_still_gives_the_same_json() -> None:
    from generator.render.exports import _dump

    for value in ({"title": "bad \ud800 half"}, [2**70]):
        assert _dump(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_a_card_keeps_each_marks_evidence_sentence_through_its_packing(corpus: Corpus, tmp_path: Path) -> None:
    from generator.cards import Card, pack_cards, unpack_cards
    from generator.render.cards import card_of
    from generator.render.highlight import evidence_md, highlight

    def quoted(card: Card, at: int) -> str | None:
        evidence = card.evidence(at)
        return str(evidence_md(evidence)) if evidence is not None else None

    for slug, card in corpus.cards.items():
        b = corpus.briefings[slug]
        whole = card_of(b, corpus.kb)
        assert whole == card
        expected = [str(highlight(b.sentences[x.mentions[0].sentence], x.mentions[0].span)) if x.mentions else None
                    for x in (*b.actors, *b.weapons)]
        expected += [str(highlight(c.evidence[0], None)) if c.evidence else None for c in b.concerns]
        expected += [str(highlight(b.sentences[x.mentions[0].sentence], x.mentions[0].span)) if x.mentions else None
                     for x in b.locations]
        assert [quoted(card, i) for i in range(len(card.marks))] == expected
    for card in corpus.cards.values():
        got = unpack_cards(pack_cards((card,), ()))
        assert got is not None and got[0] == (card,)
        back = got[0][0]
        assert [back.evidence(i) for i in range(len(card.marks))] == [card.evidence(i) for i in range(len(card.marks))]


# ---- archive pages ------------------------------------------------------------------------------

ACROSS_YEARS = [("hwasong-18-test.md", f"{y}-{m:02d}-10") for y in (2019, 2020, 2021) for m in (1, 6, 11)] + [
    ("hwasong-18-test.md", None), ("hwasong-18-test.md", None)]


def briefings_listed(page: str) -> list[str]:
    """The slugs of the briefings a list page links, in order."""
    return re.findall(r"^ *- (?:[0-9-]+ · )?\[[^]]*\]\((?:\.\./)*(?:briefings/)?([a-z0-9-]+)\.md\)",
                      page.split("\n## Archive\n")[0], re.M)


@pytest.fixture(scope="module")
def across() -> tuple[Corpus, dict[str, str]]:
    corpus = redated_corpus(ACROSS_YEARS, stories=False)
    return corpus, markdown_pages(corpus, page_size=4)


def test_a_dossier_shows_its_newest_briefings_and_archives_the_rest_by_year_each_once(
        across: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = across
    info = corpus.entities[("weapon", "hwasong-18")]
    assert len(info.refs) == 11
    main = pages["weapons/hwasong-18.md"]
    newest = [r.slug for r in info.refs[:4]]
    assert [s for s in briefings_listed(main) if s in newest] == newest
    assert set(briefings_listed(main)) & {r.slug for r in info.refs} == set(newest)
    # The count and the chart's table still cover every briefing, archived or not.
    assert "11 briefings · first seen 2019-01-10 · last seen 2021-11-10" in main
    assert "2019-01 to 2021-11&#58; 9 in all" in main  # the chart: every dated briefing
    assert "| 2019-01 | 1 |" in main and "| 2020-06 | 1 |" in main and "| 2021-11 | 1 |" in main
    archive = main.split("\n## Archive\n")[1]
    assert "- [2020](hwasong-18/2020.md): 2 briefings\n- [2019](hwasong-18/2019.md): 3 briefings\n" \
           "- [Undated](hwasong-18/undated.md): 2 briefings\n" in archive
    years = {p: pages[f"weapons/hwasong-18/{p}.md"] for p in ("2020", "2019", "undated")}
    assert not any(p.startswith("weapons/hwasong-18/") and p.removeprefix("weapons/hwasong-18/")[:-3] not in years
                   for p in pages)
    listed = newest + [s for p in ("2020", "2019", "undated") for s in briefings_listed(years[p])]
    assert listed == [r.slug for r in info.refs]  # every briefing exactly once, newest first
    assert [corpus.cards[s].date for s in briefings_listed(years["2019"])] == ["2019-11-10", "2019-06-10", "2019-01-10"]
    assert "3 briefings of 2019, newest first · back to [Hwasong-18](../hwasong-18.md)" in years["2019"]
    # 2020 continues on the dossier, which shows its newest briefing.
    assert "2 briefings of 2020, newest first; the newest are on [Hwasong-18](../hwasong-18.md)" in years["2020"]
    assert "](../../briefings/" in years["2019"] and "\n    > " not in years["2019"]


def test_the_timeline_and_the_briefing_list_continue_on_a_page_per_month(across: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = across
    timeline = pages["timeline.md"]
    assert briefings_listed(timeline) == list(corpus.order[:4])
    assert re.findall(r"^## (.+)$", timeline, re.M) == ["November 2021", "June 2021", "January 2021",
                                                        "November 2020", "Archive"]
    months = re.findall(r"^- \[([^]]+)\]\((timeline/[^)]+)\): (\d+) briefing", timeline, re.M)
    assert [m[0] for m in months] == ["June 2020", "January 2020", "November 2019", "June 2019", "January 2019",
                                      "Undated"]
    assert [m[1] for m in months][:2] == ["timeline/2020-06.md", "timeline/2020-01.md"]
    listed = briefings_listed(timeline)
    for _, path, count in months:
        got = briefings_listed(pages[path])
        assert len(got) == int(count)
        listed += got
    assert listed == list(corpus.order)
    june = pages["timeline/2020-06.md"]
    assert june.startswith("---\ntitle: 'Timeline: June 2020'\nhide:\n- navigation\n- toc\n---\n")
    assert "- 2020-06-10 · [North Korea tests the solid-fuel Hwasong-18](../briefings/" in june
    assert "  \n  North Korea carried out the first test" in june  # the lead, as on the timeline
    index = pages["briefings/index.md"]
    assert briefings_listed(index) == list(corpus.order[:4])
    # The list of briefings continues on the timeline's pages, which hold the same briefings: no copies.
    assert index.split("## Archive")[1] == timeline.split("## Archive")[1].replace("(timeline/", "(../timeline/")
    assert not [p for p in pages if p.startswith("briefings/") and p.count("/") > 1]


def test_a_list_no_longer_than_the_page_size_has_no_archive(corpus: Corpus, out: dict[str, str | bytes]) -> None:
    assert len(corpus.order) < 100
    assert not [p for p in out if "/archive/" in p or p.startswith("timeline/") or (p.count("/") > 1
                and p.endswith(".md"))]
    assert "## Archive" not in text(out, "timeline.md") + text(out, "actors/north-korea.md")


def test_hostile_text_stays_text_on_archive_pages() -> None:
    plan = [("undated-claims.md", f"20{y}-0{m}-01") for y in (20, 21) for m in (1, 2, 3)]
    corpus = redated_corpus(plan)
    pages = markdown_pages(corpus, page_size=1)
    info = next(e for e in corpus.entities.values() if e.name == HOSTILE)
    archived = [p for p in pages if p.startswith(links.entity_path(info.kind, info.id)[:-3] + "/")]
    assert archived and any(p.startswith("timeline/") for p in pages)
    for path in archived + [p for p in pages if p.startswith("timeline/")]:
        body = pages[path].split("---\n", 2)[2]  # the title is checked below
        assert "<img" not in body and "javascript:alert" not in body and "](javascript" not in body, path
    page = pages[links.archive_path(links.entity_path(info.kind, info.id), "2020")]
    title = yaml.safe_load(front_matter(page))["title"]
    assert "<" not in title and title.endswith(": 2020")
    assert "# &#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in page


def test_a_kind_index_ranks_the_most_named_and_lists_every_entity_by_name(corpus: Corpus) -> None:
    from generator.render import Renderer

    page = Renderer(corpus, page_size=2).kind_index("actor")
    by_count, by_name = page.split("## By number of briefings\n")[1].split("## By name\n")
    actors = corpus.by_kind("actor")
    assert f"{len(actors)} in all." in page and "The 2 named in the most briefings" in by_count
    assert by_count.count("\n| [") == 2 and by_name.count("\n| [") == len(actors) > 2
    assert "[North Korea](north-korea.md) | 4 |" in by_count  # the most named first


def test_a_briefing_table_shows_its_first_rows_and_names_the_rest_in_a_line(
        corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.render as render

    monkeypatch.setattr(render, "TABLE_ROWS", 2)
    b = corpus.briefings["putin-thanks-north-korea"]
    assert len(b.actors) > 2
    page = render.Renderer(corpus).briefing("putin-thanks-north-korea")
    section = page.split("## Key actors")[1].split("## Weapons and systems")[0]
    rows = [r for r in section.splitlines() if r.startswith("| [")]
    assert [r.split("]")[0][3:] for r in rows] == [a.name for a in b.actors[:2]]  # the most salient
    also = next(line for line in section.splitlines() if line.startswith("Also named: "))
    named = re.findall(r"\[([^\]]+)\]\(\.\./actors/[^)]+\)", also)
    assert named == [a.name for a in b.actors[2:]], "every other actor, linked, in order"
