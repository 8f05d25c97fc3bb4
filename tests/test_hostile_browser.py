"""The hostile site in a real browser: Debian's headless Chromium, served from 127.0.0.1.

Every payload in the fixtures would set ``window.__pwned`` (or open a dialog, or fetch from
evil.example) if it ran. A setter installed before any page script reports each assignment, in
every frame; dialogs and requests are recorded. The pages visited are the ones the hostile article
reaches: its briefing, the entity pages it creates (from the project KB and from a front-matter
override), the home page, and search results for a word in it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browserkit import serve

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TRAP = """
(() => {
  const report = (how, value) => { try { window.__report(how + ":" + String(value)); } catch (e) {} };
  Object.defineProperty(window, "__pwned", {
    configurable: false,
    get() { return undefined; },
    set(value) { report("set", value); },
  });
})();
"""


CONTROL = """<!doctype html><title>control</title>
<img src=x onerror="window.__pwned='control-img'">
<script>window.__pwned='control-script'; alert('control-dialog');</script>
<img src="http://evil.example/beacon.png">
"""


@dataclass
class Watch:
    pwned: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)



@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile project, built (docs/ and site/)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed: apt-get install chromium chromium-driver")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright (no browser download needed)")
    pytest.importorskip("generator.extract", reason="the extraction engine (generator/extract) has not landed")
    from test_hostile_site import briefing, make_project

    root = tmp_path_factory.mktemp("hostile-browser")
    make_project(root)
    result = briefing("build", "--root", str(root))
    assert result.returncode == 0, result.stderr[-3000:]
    shutil.rmtree(root / "content")  # the 50 MB file is no longer needed
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Iterator[str]:
    root = project
    # A control page with live payloads, to prove each detector fires (else a pass would prove nothing).
    (root / "site" / "_control").mkdir()
    (root / "site" / "_control" / "index.html").write_text(CONTROL, encoding="utf-8")
    with serve(root / "site") as base:
        yield base


@pytest.fixture(scope="module")
def browser(site: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    context = browser.new_context()
    context.expose_binding("__report", lambda source, value: watch.pwned.append(str(value)))
    context.add_init_script(TRAP)

    def route(r: Any) -> None:
        url = r.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            r.continue_()
        else:
            watch.foreign.append(url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()

    def on_dialog(d: Any) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg, watch
    context.close()


def visit(pg: Any, url: str) -> None:
    pg.goto(url, wait_until="load")
    pg.wait_for_load_state("networkidle")
    # Open every collapsed block (the source text is in one) so hidden payloads are rendered too.
    # One at a time: an opened block leaves the "not open" list, which shifts the others' positions.
    closed = pg.locator("details:not([open]) > summary")
    while closed.count():
        closed.first.click()


def assert_inert(pg: Any, watch: Watch) -> None:
    assert watch.pwned == [], watch.pwned
    assert watch.dialogs == [], watch.dialogs
    assert watch.foreign == [], watch.foreign
    for frame in pg.frames:
        assert urlsplit(frame.url).scheme in ("http", "about"), frame.url  # no javascript:/data: frame
    assert pg.locator("iframe, object, embed").count() == 0


BODY_PAYLOADS = [
    "<script>window.__pwned='body'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<svg onload=\"window.__pwned='svg'\">",
    "[click me](javascript:window.__pwned='jslink')",
    "![image](javascript:window.__pwned='jsimage')",
    "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe>",
    '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
    '!!! danger "Admonition from the article"',
    "{: onclick=\"window.__pwned='attrlist'\" }",
    '--8<-- "/etc/passwd"',
    "{{ config.site_name }}",
    "{% if true %}jinja{% endif %}",
    ":smile: :material-alert:",
    '??? quote "Collapsible from the article"',
]


def test_briefing_page_shows_every_payload_as_text(page: tuple[Any, Watch], site: str) -> None:
    pg, watch = page
    visit(pg, site + "briefings/hostile/")
    text = pg.locator("article").inner_text()
    for payload in BODY_PAYLOADS:
        assert payload in text, payload
    for payload in ("<img src=x onerror=\"window.__pwned='source'\">",  # front matter: source, author, licence
                    "<svg onload=\"window.__pwned='author'\"></svg>",
                    "{: onclick=\"window.__pwned='attr'\" }",
                    "<script>window.__pwned='summary'</script> !!! danger \"pwned\""):
        assert payload in text, payload
    heading = pg.locator("article h1").first.inner_text()
    assert heading.startswith("</title><script>window.__pwned='title'</script> Zorblax & <b>bold</b> {{ 7*7 }}")
    assert "<" not in pg.title() and "Zorblax" in pg.title()
    assert pg.locator("article script, article img, article svg:not(.md-icon svg), article a[href^='javascript']"
                      ).count() == 0
    assert_inert(pg, watch)


def test_entity_pages_show_kb_and_override_payloads_as_text(page: tuple[Any, Watch], site: str) -> None:
    pg, watch = page
    visit(pg, site + "actors/zorblax-front/")
    text = pg.locator("article").inner_text()
    assert "Zorblax Front <img src=x onerror=\"window.__pwned='kbname'\">" in text
    assert "<script>window.__pwned='kbdesc'</script> [kb link](javascript:window.__pwned='kblink')" in text
    assert_inert(pg, watch)
    visit(pg, site + "briefings/hostile/")
    target = pg.locator("a[href*='actors/'][href*='addactor']").first.get_attribute("href")
    assert target
    visit(pg, site + "briefings/hostile/" + target)
    assert "<img src=x onerror=\"window.__pwned='addactor'\">" in pg.locator("article h1").first.inner_text()
    assert_inert(pg, watch)


def test_home_page_lists_the_hostile_title_as_text(page: tuple[Any, Watch], site: str) -> None:
    pg, watch = page
    visit(pg, site)
    assert "</title><script>window.__pwned='title'</script> Zorblax" in pg.locator("article").inner_text()
    assert_inert(pg, watch)


def test_search_results_show_payloads_as_text(page: tuple[Any, Watch], site: str) -> None:
    pg, watch = page
    visit(pg, site)
    box = pg.locator("input.md-search__input")
    box.click()  # the header search box of a desktop-wide viewport
    pg.keyboard.type("Zorblax")  # typed, not filled: Material searches on key events
    results = pg.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=30_000)
    text = pg.locator(".md-search-result").inner_text()
    assert "Zorblax" in text and "window.__pwned=" in text, text[:2000]
    box.press("Control+a")
    pg.keyboard.type("onerror")
    pg.wait_for_function("document.querySelector('.md-search-result').innerText.includes('onerror=')",
                         timeout=30_000)
    assert_inert(pg, watch)


def test_the_detectors_fire_on_live_payloads(page: tuple[Any, Watch], site: str) -> None:
    pg, watch = page
    visit(pg, site + "_control/")
    pg.wait_for_function("document.images[0].complete")
    assert "set:control-script" in watch.pwned and "set:control-img" in watch.pwned
    assert watch.dialogs == ["control-dialog"]
    assert watch.foreign == ["http://evil.example/beacon.png"]


# A description escaped once only, as a reader that does not sanitise would show it: must fire.
FEED_CONTROL = "<p>Harbour talks <img src=x onerror=\"alert('control-feed')\"></p>"
ENTRY_PAGE = '<!doctype html><meta charset="utf-8"><title>feed entry</title><h1>{title}</h1><div>{summary}</div>'


def test_every_feed_entry_runs_nothing_in_a_reader_that_does_not_sanitise(page: tuple[Any, Watch], site: str,
                                                                          project: Path) -> None:
    import feedparser
    from test_hostile_site import feeds

    pg, watch = page
    entries = [feedparser.parse(path.read_bytes(), sanitize_html=False).entries for path in feeds(project)]
    assert len(entries) >= 2 and sum(map(len, entries)) >= 2  # docs/feed.xml and its copy in site/, at least
    folder = project / "site" / "_feed"
    folder.mkdir(exist_ok=True)
    # Such a reader puts an entry's title and description into its own page as they are.
    (folder / "control.html").write_text(ENTRY_PAGE.format(title="Control", summary=FEED_CONTROL), encoding="utf-8")
    visit(pg, site + "_feed/control.html")
    pg.wait_for_function("document.images[0].complete")
    assert watch.dialogs == ["control-feed"]
    watch.dialogs.clear()
    # One article's entry recurs in the feed of every entity it names; a page made of the same title and
    # description is the same page, so each distinct one is opened once.
    distinct = sorted({(entry.title, entry.summary) for feed in entries for entry in feed})
    shown = []
    for n, (title, summary) in enumerate(distinct):
        name = f"{n}.html"
        (folder / name).write_text(ENTRY_PAGE.format(title=title, summary=summary), encoding="utf-8")
        visit(pg, site + "_feed/" + name)
        pg.wait_for_function("Array.from(document.images).every(i => i.complete)")
        assert_inert(pg, watch)
        assert pg.locator("img, svg, script, iframe, a[href^='javascript']").count() == 0, title
        shown.append(pg.locator("div").inner_text())
    assert any("on Tuesday <img src=x onerror=alert(1)> to discuss" in text for text in shown)


def test_network_page_draws_hostile_names_as_text(page: tuple[Any, Watch], site: str) -> None:
    # Its labels come from data/network.json, plain text that the page must not read as HTML.
    pg, watch = page
    visit(pg, site + "network/")
    pg.locator("#briefing-network canvas").first.wait_for(state="attached", timeout=30_000)
    assert_inert(pg, watch)


def test_story_page_shows_titles_outlets_and_claims_as_text(page: tuple[Any, Watch], site: str) -> None:
    pg, watch = page
    visit(pg, site + "stories/")
    target = pg.locator("article a[href*='pwned']").first.get_attribute("href")
    assert target
    visit(pg, site + "stories/" + target)
    text = pg.locator("article").inner_text()
    for payload in ("</title><script>window.__pwned='title'</script> Zorblax & <b>bold</b> {{ 7*7 }}",
                    "<svg onload=\"window.__pwned='storysource'\"></svg>",
                    "\"<script>window.__pwned='storyclaim'</script>,\" a Zorblax Front commander said."):
        assert payload in text, payload
    assert pg.locator("article script, article img, article svg:not(.md-icon svg), article a[href^='javascript']"
                      ).count() == 0
    assert_inert(pg, watch)
