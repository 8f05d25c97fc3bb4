"""``briefing add``: files, stdin, feeds and URLs become Markdown articles; duplicates are refused."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from browserkit import serve_handler

from generator.dedupe import text_key
from generator.intake import IntakeError, add_sources, fetch, normalise_url, write_new
from generator.readers import discover, read_docs, read_file

FIX = Path(__file__).parent / "fixtures" / "intake"
TODAY = dt.date(2025, 1, 31)


def add(content: Path, *sources: str | Path, stdin: bytes | None = None):  # type: ignore[no-untyped-def]
    return add_sources([str(s) for s in sources], content, today=TODAY,
                       stdin=io.BytesIO(stdin) if stdin is not None else None, timeout=5)


def articles(content: Path) -> list[str]:
    return sorted(rel for _, rel in discover(content))


def test_same_feed_twice_yields_its_articles_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    first = add(content, FIX / "rss2.xml")
    assert len(first.added) == 3
    assert articles(content) == ["border-guards-report-surge-in-drone-incursions.md",
                                 "coast-guard-seizes-boat-carrying-rifle-parts.md",
                                 "parliament-approves-defence-budget-increase.md"]
    second = add(content, FIX / "rss2.xml")
    assert second.added == []
    assert len(articles(content)) == 3
    dupes = [r.reason for r in second.refused if "already in content" in r.reason]
    assert len(dupes) == 3
    assert any("as border-guards-report-surge-in-drone-incursions.md (same feed entry GUID)" in d for d in dupes)


def test_feed_entry_fields_reach_front_matter(tmp_path: Path) -> None:
    content = tmp_path / "content"
    add(content, FIX / "rss2.xml")
    doc = read_file(content / "parliament-approves-defence-budget-increase.md", "p.md")
    assert (doc.title, doc.date, doc.source, doc.url, doc.summary_only, doc.date_added) == (
        "Parliament approves defence budget increase", "2024-04-11", "Frontier Security Wire",
        "https://frontierwire.example/2024/04/budget", True, "2025-01-31")
    doc = read_file(content / "coast-guard-seizes-boat-carrying-rifle-parts.md", "c.md")
    assert doc.date is None  # the entry has no date: none is invented
    assert not doc.summary_only


def test_feed_entry_with_known_text_under_another_link_is_added_as_a_syndicated_copy(tmp_path: Path) -> None:
    content = tmp_path / "content"
    add(content, FIX / "rss2.xml")
    # The same story re-published by an aggregator: other GUID, other link, re-typeset text.
    other = tmp_path / "aggregator.xml"
    other.write_text(
        "<rss version='2.0'><channel><title>Aggregator</title><link>https://agg.example/</link>"
        "<item><title>Rifle parts seized</title><guid>agg-1</guid><link>https://agg.example/1</link>"
        "<description>THE COAST GUARD intercepted a fishing boat carrying disassembled rifle parts hidden under "
        "its catch -- officials said -- and detained its crew of four for questioning.  Investigators believe the "
        "parts were destined for a criminal group operating in the port city, which has seen a rise in shootings "
        "this year</description></item>"
        "<item><title>Something new</title><guid>agg-2</guid><link>https://agg.example/2</link>"
        "<description>An entirely new report on maritime patrols.</description></item></channel></rss>",
        encoding="utf-8")
    report = add(content, other)
    # Another outlet's link: kept, for the build to mark as a syndicated copy of the first.
    assert [a.title for a in report.added] == ["Rifle parts seized", "Something new"]
    assert report.refused == []


def test_text_markdown_and_html_files(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = add(content, FIX / "text" / "cp1252.txt", FIX / "german.md", FIX / "news-page.html")
    assert [a.path.name for a in report.added] == [
        "talks-resume-in-zurich.md", "neue-radaranlage-an-der-ostgrenze.md",
        "drone-strikes-hit-fuel-depot-near-sevastopol.md"]
    txt = read_file(content / "talks-resume-in-zurich.md", "t.md")
    assert txt.title == "Talks resume in Zürich" and "“We are close,”" in txt.text and "\r" not in txt.text
    assert not txt.text.startswith("Talks resume")  # the title moved to front matter
    de = read_file(content / "neue-radaranlage-an-der-ostgrenze.md", "d.md")
    assert (de.source, de.language, de.date_added) == ("Beispielzeitung", "de", "2025-01-31")
    page = read_file(content / "drone-strikes-hit-fuel-depot-near-sevastopol.md", "n.md")
    assert (page.title, page.source, page.author, page.date, page.url) == (
        "Drone strikes hit fuel depot near Sevastopol", "Harbour Watch", "Maria Lindqvist", "2024-03-14",
        "https://harbourwatch.example/news/2024/03/drone-strikes-fuel-depot")
    assert "Analysts at the Institute for Maritime Studies" in page.text
    assert "We use cookies" not in page.text and "seagull77" not in page.text
    raw = (content / "drone-strikes-hit-fuel-depot-near-sevastopol.md").read_text(encoding="utf-8")
    assert raw.startswith("---\ntitle: Drone strikes hit fuel depot near Sevastopol\ndate: '2024-03-14'\n"
                          "source: Harbour Watch\nurl: https://harbourwatch.example/news/2024/03/"
                          "drone-strikes-fuel-depot\nauthor: Maria Lindqvist\ndate_added: '2025-01-31'\n---\n")


def test_adding_a_saved_page_twice_names_the_existing_article(tmp_path: Path) -> None:
    content = tmp_path / "content"
    add(content, FIX / "news-page.html")
    report = add(content, FIX / "news-page.html")
    assert report.added == []
    assert report.refused[0].reason == (
        "already in content as drone-strikes-hit-fuel-depot-near-sevastopol.md (same URL)")


def test_same_text_after_folding_case_space_and_punctuation_is_a_duplicate(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content).mkdir()
    (content / "old.txt").write_text("Old Title\n\nThe Minister said: talks will resume.\nNext week.\n",
                                     encoding="utf-8")
    new = tmp_path / "new.txt"
    new.write_text("A Different Title\n\nthe minister said talks will  resume...   next week!\n", encoding="utf-8")
    report = add(content, new)
    assert report.added == []
    assert report.refused[0].reason == "already in content as old.txt (same text)"
    assert text_key("Talks, resumed! Later.") == text_key("talks resumed later.") != text_key("talks stalled later.")


def test_date_added_is_kept_when_given_and_stamped_only_when_missing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    src = tmp_path / "given.md"
    src.write_text("---\ntitle: Given\ndate_added: 2020-05-01\ntags: [x]\n---\nSome body text.\n", encoding="utf-8")
    add(content, src)
    doc = read_file(content / "given.md", "given.md")
    assert doc.date_added == "2020-05-01" and doc.tags == ("x",)


def test_file_names_never_collide(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "same-title.txt").write_text("Same Title\n\nAn older article.\n", encoding="utf-8")
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Same Title\n\nFirst new body.\n", encoding="utf-8")
    b.write_text("Same Title\n\nSecond new body.\n", encoding="utf-8")
    report = add(content, a, b)
    assert [x.path.name for x in report.added] == ["same-title-2.md", "same-title-3.md"]
    assert (content / "same-title.txt").read_text(encoding="utf-8") == "Same Title\n\nAn older article.\n"


def test_write_new_never_replaces_a_file(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text("keep", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_new(tmp_path, "x.md", "other")
    assert (tmp_path / "x.md").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]


def test_stdin_text_html_and_feed_are_sniffed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    r = add(content, "-", stdin=b"Piped Title\n\nA body that came through a pipe.\n")
    assert [a.path.name for a in r.added] == ["piped-title.md"]
    r = add(content, "-", stdin=(FIX / "jsonfeed.json").read_bytes())
    assert len(r.added) == 3
    r = add(content, "-", stdin=(FIX / "blog-page.html").read_bytes())
    assert [a.path.name for a in r.added] == ["why-the-new-air-defence-radar-matters.md"]


def test_bad_sources_are_reported_and_the_rest_added(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = add(content, tmp_path / "missing.txt", FIX / "text" / "binary.txt", FIX / "text" / "utf8.txt", tmp_path)
    assert [a.path.name for a in report.added] == ["talks-resume-in-zurich.md"]
    reasons = [r.reason for r in report.refused]
    assert reasons[0].endswith("missing.txt: no such file")
    assert "binary.txt" in reasons[1] and "binary" in reasons[1]
    assert "is a folder" in reasons[2]


def test_added_files_are_the_same_bytes_every_time(tmp_path: Path) -> None:
    for run in ("a", "b"):
        add(tmp_path / run, FIX / "rss2.xml", FIX / "news-page.html", FIX / "text" / "utf16le-nobom.txt")
    for name in articles(tmp_path / "a"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_every_added_article_reads_back_cleanly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    add(content, *sorted(p for p in FIX.iterdir() if p.is_file()), *sorted((FIX / "text").iterdir()))
    for path, rel in discover(content):
        docs, errors = read_docs(path, rel)
        assert len(docs) == 1 and not errors


def test_normalise_url() -> None:
    assert normalise_url("http://WWW.Example.org/a/?utm_source=x&id=3#top") == "https://example.org/a?id=3"


# ---- fetching from a real HTTP server on 127.0.0.1 ----------------------------------------------------------

ROUTES: dict[str, tuple[str, bytes]] = {
    "/news/drone-strikes": ("text/html; charset=utf-8", (FIX / "news-page.html").read_bytes()),
    "/talks": ("text/html", (FIX / "cp1252-page.html").read_bytes()),
    "/feed": ("application/rss+xml", (FIX / "rss2.xml").read_bytes()),
    "/feed-no-type": ("application/octet-stream", (FIX / "atom.xml").read_bytes()),
    "/big": ("text/html", b"<html><body><p>" + b"x" * 200_000 + b"</p></body></html>"),
    "/plain": ("text/plain; charset=windows-1252", (FIX / "text" / "cp1252.txt").read_bytes()),
    # Declared ISO-8859-1 but holding cp1252 curly quotes, as many servers do: read as browsers read it.
    "/binary": ("text/plain; charset=utf-8", b"PK\x03\x04\x00\x00 zipped \x00\x01" * 50),
    "/latin1-label": ("text/html; charset=ISO-8859-1", (FIX / "cp1252-page.html").read_bytes()),
}
REDIRECTS = {"/old-talks": "/talks"}


class Handler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("User-Agent", "")))
        if self.path in REDIRECTS:
            self.send_response(301)
            self.send_header("Location", REDIRECTS[self.path])
            self.end_headers()
            return
        if self.path not in ROUTES:
            self.send_error(404, "Not Found")
            return
        ctype, body = ROUTES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Handler.seen = []
    with serve_handler(Handler) as base:
        yield base.rstrip("/")


def test_add_url_fetches_the_page(tmp_path: Path, server: str) -> None:
    content = tmp_path / "content"
    report = add(content, f"{server}/news/drone-strikes")
    assert [a.path.name for a in report.added] == ["drone-strikes-hit-fuel-depot-near-sevastopol.md"]
    doc = read_file(report.added[0].path, "x.md")
    assert doc.url == "https://harbourwatch.example/news/2024/03/drone-strikes-fuel-depot"  # canonical wins
    assert "long-range drones struck a fuel depot" in doc.text and "We use cookies" not in doc.text
    assert Handler.seen[0][1].startswith("briefing-site/")


def test_page_without_canonical_keeps_the_fetched_url_and_is_not_fetched_twice(tmp_path: Path, server: str) -> None:
    content = tmp_path / "content"
    add(content, f"{server}/talks")
    doc = read_file(content / "talks-on-missile-limits-resume-in-zurich.md", "x.md")
    assert doc.url == f"{server}/talks"
    assert "“We’re not there yet,”" in doc.text  # cp1252 page, no charset in the header
    report = add(content, f"{server}/talks")
    assert report.added == []
    assert "talks-on-missile-limits-resume-in-zurich.md (same URL)" in report.refused[0].reason
    assert [p for p, _ in Handler.seen] == ["/talks"]  # refused before any second request


def test_redirect_records_the_final_url_and_plain_text_uses_the_header_charset(tmp_path: Path, server: str) -> None:
    content = tmp_path / "content"
    report = add(content, f"{server}/old-talks", f"{server}/plain")
    assert [a.path.name for a in report.added] == ["talks-on-missile-limits-resume-in-zurich.md",
                                                    "talks-resume-in-zurich.md"]
    assert read_file(report.added[0].path, "a.md").url == f"{server}/talks"
    plain = read_file(report.added[1].path, "b.md")
    assert "“We are close,”" in plain.text and plain.url == f"{server}/plain"


def test_iso_8859_1_label_is_read_as_windows_1252(tmp_path: Path, server: str) -> None:
    report = add(tmp_path / "content", f"{server}/latin1-label")
    doc = read_file(report.added[0].path, "a.md")
    assert "“We’re not there yet,”" in doc.text and "\x93" not in doc.text


def test_binary_behind_a_text_header_is_refused(tmp_path: Path, server: str) -> None:
    report = add(tmp_path / "content", f"{server}/binary")
    assert report.added == [] and "looks binary" in report.refused[0].reason


def test_add_feed_url_twice(tmp_path: Path, server: str) -> None:
    content = tmp_path / "content"
    assert len(add(content, f"{server}/feed").added) == 3
    assert add(content, f"{server}/feed").added == []
    assert len(articles(content)) == 3
    r = add(content, f"{server}/feed-no-type")  # sniffed as a feed from its bytes
    assert len(r.added) == 2


def test_http_error_is_one_clear_line(tmp_path: Path, server: str) -> None:
    report = add(tmp_path / "content", f"{server}/gone")
    assert report.added == []
    assert report.refused[0].reason == f"{server}/gone: the server answered 404 Not Found"


def test_closed_port_is_one_clear_line(tmp_path: Path) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    report = add(tmp_path / "content", f"http://127.0.0.1:{port}/article")
    assert report.added == []
    reason = report.refused[0].reason
    assert reason.startswith(f"http://127.0.0.1:{port}/article: cannot fetch (")
    assert "refused" in reason.lower() and "\n" not in reason
    assert not (tmp_path / "content").exists() or articles(tmp_path / "content") == []


def test_size_cap(server: str) -> None:
    with pytest.raises(IntakeError, match="over the 1,000-byte limit"):
        fetch(f"{server}/big", max_bytes=1000)


def test_a_server_that_never_answers_times_out_with_one_clear_line() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)  # the kernel accepts the connection; nobody ever answers
    try:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/slow"
        with pytest.raises(IntakeError) as info:
            fetch(url, timeout=1)
        assert str(info.value) == (f"{url}: no complete answer within 1 s (--timeout); try again, or save the "
                                   "page and add the file")
    finally:
        sock.close()


def test_numeric_and_quoted_guids_are_recognised_on_the_second_add(tmp_path: Path) -> None:
    feed = tmp_path / "n.json"
    feed.write_text('{"version": "https://jsonfeed.org/version/1.1", "title": "Numbers: \\"quoted\\"", "items": ['
                    '{"id": 123, "title": "One", "content_text": "First text."},'
                    '{"id": "it\'s: #2", "title": "Two", "content_text": "Second text."}]}', encoding="utf-8")
    content = tmp_path / "content"
    assert len(add(content, feed).added) == 2
    feed.write_text(feed.read_text(encoding="utf-8").replace("First text.", "First text, edited.")
                    .replace("Second text.", "Second text, edited."), encoding="utf-8")
    again = add(content, feed)
    assert again.added == []
    assert all("(same feed entry GUID)" in r.reason for r in again.refused)
