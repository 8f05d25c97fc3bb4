"""Outlets: who published an article, whose copy it carries, and how many independent sources a
story has. Pure: the KB's outlet table and an article's fields in, answers out.

An article's outlet comes from its front matter: the ``url``'s host (``apnews.com``, a subdomain
too) or the ``source`` name. Its agency comes from the credit or dateline a wire copy keeps
("SEOUL, July 4 (Yonhap) --", "(Reuters) -", "YONHAP"): the same wire text carried by five outlets
is one source, the agency. Corroboration counts sources that are not state media or official
government sources apart from those that are, and says when every source is one state outlet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.kb import KBOutlet, KnowledgeBase

STATE_KINDS = frozenset(["state-controlled", "official government source"])
HEAD = 400  # where a dateline or an opening credit stands
TAIL = 300  # where a closing credit stands ("— Reuters", "(AP)")


def _key(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.casefold().removeprefix("the ")))


@dataclass(frozen=True)
class _Index:
    by_name: dict[str, KBOutlet]
    by_domain: dict[str, KBOutlet]
    credit: re.Pattern[str] | None  # a wire agency's credit form in a text
    credit_names: dict[str, KBOutlet]


_INDEXES: dict[int, tuple[KnowledgeBase, _Index]] = {}  # id(kb) -> the kb (kept alive) and its index


def _index(kb: KnowledgeBase) -> _Index:
    held = _INDEXES.get(id(kb))
    if held is not None and held[0] is kb:
        return held[1]
    if len(_INDEXES) >= 8:
        _INDEXES.clear()
    made = _make_index(kb)
    _INDEXES[id(kb)] = (kb, made)
    return made


def _make_index(kb: KnowledgeBase) -> _Index:
    by_name: dict[str, KBOutlet] = {}
    by_domain: dict[str, KBOutlet] = {}
    credit_names: dict[str, KBOutlet] = {}
    for o in sorted(kb.outlets.values(), key=lambda o: o.id):
        for n in (o.name, *o.aliases):
            by_name.setdefault(_key(n), o)
        for d in o.domains:
            by_domain.setdefault(d, o)
        if o.kind in ("wire agency", "state-controlled"):
            for n in (o.name, *o.aliases):
                if len(n) >= 2:
                    credit_names.setdefault(n, o)
    credit = None
    if credit_names:
        names = "|".join(re.escape(n) for n in sorted(credit_names, key=len, reverse=True))
        # "(Reuters)", "(AP) -", "SEOUL (Yonhap) --", "— Reuters", "YONHAP" on its own in a dateline.
        credit = re.compile(r"\((" + names + r")\)|(?:^|\n|[—–-]\s)\s*(" + names + r")\s*(?:$|\n)"
                            r"|\b(" + names + r")\b(?=\s*(?:[—–]|--))")
    return _Index(by_name, by_domain, credit, credit_names)


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def outlet_of(kb: KnowledgeBase, source: str | None = None, url: str | None = None) -> KBOutlet | None:
    """The outlet that published an article: by its URL's host (or a parent domain), else by the
    name its front matter gives ("The Associated Press", "AP")."""
    idx = _index(kb)
    host = host_of(url)
    if host:
        parts = host.split(".")
        for i in range(len(parts) - 1):
            found = idx.by_domain.get(".".join(parts[i:]))
            if found is not None:
                return found
    if source:
        return idx.by_name.get(_key(source))
    return None


def agency_of(kb: KnowledgeBase, text: str) -> KBOutlet | None:
    """The agency whose copy the article carries, from a credit or dateline at its top or end."""
    idx = _index(kb)
    if idx.credit is None:
        return None
    for part in (text[:HEAD], text[-TAIL:]):
        m = idx.credit.search(part)
        if m:
            name = next(g for g in m.groups() if g)
            return idx.credit_names[name]
    return None


def outlet_named(kb: KnowledgeBase, name: str) -> KBOutlet | None:
    """The outlet a speaker's name is ("KCNA", "the Korean Central News Agency"), if any."""
    return _index(kb).by_name.get(_key(name))


@dataclass(frozen=True)
class Origin:
    """Where one report comes from: its agency when it carries one, else its outlet."""

    key: str  # outlet id, or "name:<publisher as written>" for an outlet the KB does not know
    name: str
    kind: str  # an outlet kind, or "unknown"


def origin_of(kb: KnowledgeBase, source: str | None, url: str | None, text: str) -> Origin | None:
    agency = agency_of(kb, text)
    if agency is not None:
        return Origin(agency.id, agency.name, agency.kind)
    outlet = outlet_of(kb, source, url)
    if outlet is not None:
        return Origin(outlet.id, outlet.name, outlet.kind)
    if source and _key(source):
        return Origin("name:" + _key(source), source.strip(), "unknown")
    host = host_of(url)
    return Origin("host:" + host, host, "unknown") if host else None


@dataclass(frozen=True)
class Corroboration:
    sources: int  # distinct origins (a wire copy counts as its agency)
    independent: int  # of which neither state media nor an official government source
    state: int  # of which state media or official government sources
    unknown_origin: int  # reports whose outlet could not be told
    single_state_origin: str | None  # the one state outlet every report and claim traces back to


def corroboration(origins: Sequence[Origin | None],
                  claim_sources: Sequence[KBOutlet | None] = ()) -> Corroboration:
    """How a story is sourced. ``origins``: of its reports; ``claim_sources``: for each of its
    claims, the outlet the speaker is ("KCNA said"), or None when the speaker is no outlet."""
    distinct = {o.key: o for o in origins if o is not None}
    state = {k for k, o in distinct.items() if o.kind in STATE_KINDS}
    traced = set(state) | {o.id for o in claim_sources if o is not None and o.kind in STATE_KINDS}
    single: str | None = None
    if len(traced) == 1:
        only = next(iter(traced))
        # Every report is that outlet's, or every claim the reports make is that outlet's word.
        if set(distinct) == {only} or (claim_sources and all(o is not None and o.id == only
                                                             for o in claim_sources)):
            single = only
    return Corroboration(
        sources=len(distinct), independent=len(distinct) - len(state), state=len(state),
        unknown_origin=sum(1 for o in origins if o is None), single_state_origin=single)
