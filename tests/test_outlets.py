"""Outlets: the KB table, an article's outlet and agency, and how a story is corroborated."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.kb import BUNDLED, KBError, load_kb
from generator.outlets import Origin, agency_of, corroboration, origin_of, outlet_named, outlet_of


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_the_bundled_table_has_each_kind_and_valid_countries(kb):
    kinds = {o.kind for o in kb.outlets.values()}
    assert kinds == {"wire agency", "state-controlled", "independent", "official government source"}
    assert all(o.country is None or kb.actors[o.country].type == "country" for o in kb.outlets.values())


@pytest.mark.parametrize(("source", "url", "expected"), [
    (None, "https://apnews.com/article/x", "associated-press"),
    (None, "https://www.reuters.com/world/asia/x", "reuters"),
    (None, "http://en.yna.co.kr/view/x", "yonhap"),  # a subdomain of a listed host
    ("The Associated Press", None, "associated-press"),
    ("KCNA", None, "kcna"),
    ("A Blog Nobody Knows", "https://example.org/x", None),
])
def test_outlet_of(kb, source, url, expected):
    found = outlet_of(kb, source, url)
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Title\n\nSEOUL, March 2 (Yonhap) -- Freedonia fired a missile.", "yonhap"),
    ("Title\n\nVELL (Reuters) - The navy seized a ship.", "reuters"),
    ("Title\n\nThe navy seized a ship, officials said.\n\n(AP)", "associated-press"),
    ("Title\n\nThe navy seized a ship.\n\n— Reuters", "reuters"),
    ("Title\n\nThe navy seized a ship. Reuters was not able to verify it.", None),  # cited, not credited
])
def test_agency_of(kb, text, expected):
    found = agency_of(kb, text)
    assert (found.id if found else None) == expected


def test_a_wire_copy_carried_by_three_outlets_is_one_source(kb):
    wire = "Title\n\nVELL (Reuters) - The navy seized a ship."
    origins = [origin_of(kb, "Herald", "https://herald.example/a", wire),
               origin_of(kb, "Gazette", "https://gazette.example/b", wire),
               origin_of(kb, "Post", None, wire),
               origin_of(kb, "The Guardian", None, "Title\n\nOur reporter saw the ship."),
               origin_of(kb, "TASS", None, "Title\n\nThe ship was seized.")]
    result = corroboration(origins)
    assert (result.sources, result.independent, result.state) == (3, 2, 1)
    assert result.single_state_origin is None


def test_a_story_whose_claims_all_trace_back_to_one_state_outlet(kb):
    kcna = outlet_named(kb, "Korean Central News Agency")
    assert kcna is not None and kcna.id == "kcna"
    origins = [Origin("the-guardian", "The Guardian", "independent"), Origin("name:herald", "Herald", "unknown")]
    relayed = corroboration(origins, [kcna, kcna])
    assert relayed.single_state_origin == "kcna"
    checked = corroboration(origins, [kcna, None])  # another speaker: not all from one state outlet
    assert checked.single_state_origin is None
    only_state = corroboration([Origin("kcna", "KCNA", "state-controlled")] * 2)
    assert only_state.single_state_origin == "kcna" and only_state.sources == 1


@pytest.mark.parametrize(("entry", "message"), [
    ("{id: x-news, name: X News, kind: tabloid}", "field 'kind': expected one of"),
    ("{id: x-news, name: X News, kind: independent, domains: [not a host]}", "field 'domains'"),
    ("{id: x-news, name: X News, kind: independent, country: atlantis}", "field 'country': unknown id"),
    ("{id: x-news, kind: independent}", "field 'name': missing"),
    ("{id: x-news, name: X News, kind: independent, owner: Someone}", "field 'owner': unknown field"),
])
def test_a_bad_outlet_entry_is_named(tmp_path: Path, entry, message):
    (tmp_path / "mine.yaml").write_text(f"kind: outlets\nentries:\n- {entry}\n", encoding="utf-8")
    with pytest.raises(KBError) as caught:
        load_kb([BUNDLED, tmp_path])
    assert str(caught.value).startswith(f"{tmp_path / 'mine.yaml'}: entry 1 (x-news)")
    assert message in str(caught.value)


def test_a_user_outlet_extends_and_overrides_the_table(tmp_path: Path):
    (tmp_path / "mine.yaml").write_text(
        "kind: outlets\nentries:\n"
        "- {id: vell-wire, name: Vell Wire, kind: wire agency, domains: [vellwire.example], aliases: [VW]}\n"
        "- {id: reuters, name: Reuters, kind: wire agency, domains: [reuters.example]}\n", encoding="utf-8")
    kb = load_kb([BUNDLED, tmp_path])
    assert outlet_of(kb, None, "https://news.vellwire.example/x").id == "vell-wire"  # type: ignore[union-attr]
    assert kb.outlets["reuters"].domains == ("reuters.example",)
    assert agency_of(kb, "T\n\nVELL (VW) - A ship was seized.").id == "vell-wire"  # type: ignore[union-attr]
