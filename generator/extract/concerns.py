"""Concerns an article raises, each with the sentences that evidence it.

Cues come from the knowledge base (``kind: concerns``). Every cue term of every concern goes into
one Aho-Corasick automaton, so a text is scanned once whatever the number of cues. A cue fires in a
sentence when the sentence has one of its terms (``terms``) or a term from each group (``all``; a
group may ask for a weapon of a class, ``weapon:missile``, or an actor of a type, ``actor:person``).
``actor:countries`` asks for two different states in the sentence (what makes a condemnation
diplomatic rather than domestic). A sentence adds the weights of the distinct cues that fire in
it; a concern is raised when its
article total reaches its threshold and one sentence scores at least 1 (weak words spread
over an article do not make a concern). Negative weights are allowed and make a phrase count against
a concern ("price war" is not armed conflict).
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from generator.extract.matcher import fold
from generator.kb import KBConcern, KnowledgeBase
from generator.models import Concern, Span

MAX_EVIDENCE = 3


@dataclass(frozen=True)
class _Term:
    text: str
    prefix: bool  # trailing * in the YAML: any word ending


class ConcernFinder:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.concerns: list[KBConcern] = [kb.concerns[k] for k in sorted(kb.concerns)]
        self._auto = ahocorasick.Automaton()
        terms: dict[str, _Term] = {}
        for c in self.concerns:
            for cue in c.cues:
                for t in list(cue.terms) + [t for g in cue.all for t in g]:
                    if ":" in t and t.split(":", 1)[0] in ("weapon", "actor"):
                        continue
                    prefix = t.endswith("*")
                    body = fold(" ".join(t.rstrip("*").split()))
                    if body:
                        terms[t] = _Term(body, prefix)
        # Which (concern, cue) pairs name each raw term, for the per-sentence tally.
        self._term_cues: dict[str, list[tuple[int, int]]] = {}
        for ci, c in enumerate(self.concerns):
            for j, cue in enumerate(c.cues):
                for t in list(cue.terms) + [t for g in cue.all for t in g]:
                    self._term_cues.setdefault(t, []).append((ci, j))
        # Cues made only of weapon:/actor: groups can fire in a sentence without any term.
        self._termless: list[set[int]] = [
            {j for j, cue in enumerate(c.cues) if cue.all and all(
                all(":" in t and t.split(":", 1)[0] in ("weapon", "actor") for t in g) for g in cue.all)}
            for c in self.concerns]
        # Each ``all`` group as sets, for _fires: (any weapon, weapon classes, any actor, actor types, terms).
        self._groups: list[list[tuple[_Group, ...]]] = [
            [tuple(_compile(g) for g in cue.all) for cue in c.cues] for c in self.concerns]
        # One automaton key per term text; the value tells which raw terms (exact or prefix) it is.
        keys: dict[str, list[tuple[str, bool]]] = {}
        for raw, term in terms.items():
            keys.setdefault(term.text, []).append((raw, term.prefix))
        for key, raws in keys.items():
            self._auto.add_word(key, (len(key), tuple(raws)))
        self._empty = not keys
        if not self._empty:
            self._auto.make_automaton()

    def terms_by_sentence(self, folded: str, sentences: list[Span], sentence_of: list[int],
                          names: tuple[tuple[int, int], ...] = ()) -> list[set[str]]:
        found: list[set[str]] = [set() for _ in sentences]
        if self._empty:
            return found
        n = len(folded)
        in_names: set[int] = set()  # every offset inside one of ``names``
        for a, b in names:
            in_names.update(range(a, b))
        for end_idx, (length, raws) in self._auto.iter(folded):
            start, end = end_idx - length + 1, end_idx + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            si = sentence_of[start] if start < len(sentence_of) else -1
            if si < 0:
                continue
            if start in in_names:
                continue  # a word of a name ("Countryside Alliance") is not the concept
            whole = end >= n or not folded[end].isalnum()
            for raw, prefix in raws:
                if prefix or whole:
                    found[si].add(raw)
        return found

    def find(self, folded: str, sentences: list[Span], sentence_of: list[int],
             weapon_classes: list[set[str]], actor_types: list[set[str]],
             names: tuple[tuple[int, int], ...] = ()) -> list[Concern]:
        """Concerns raised by the cue terms of each sentence; terms inside ``names`` (spans of
        organisations named by form) do not count."""
        per_sentence = self.terms_by_sentence(folded, sentences, sentence_of, names)
        # One pass over the terms found: which cues of which concern each sentence touches.
        fired: list[dict[int, set[int]]] = []
        for terms in per_sentence:
            by_concern: dict[int, set[int]] = {}
            for t in terms:
                for ci, j in self._term_cues.get(t, ()):
                    by_concern.setdefault(ci, set()).add(j)
            fired.append(by_concern)
        # The sentences each concern has to look at: those with one of its terms, and those naming a
        # weapon when it has cues made only of weapon:/actor: groups (in text order, as the sums are).
        where: dict[int, list[int]] = {}
        for si, by_concern in enumerate(fired):
            for ci in by_concern:
                where.setdefault(ci, []).append(si)
        weapon_sents = [si for si, w in enumerate(weapon_classes) if w]
        out: list[Concern] = []
        for ci, c in enumerate(self.concerns):
            termless = self._termless[ci]
            sis = where.get(ci, [])
            if termless and weapon_sents:
                sis = sorted(set(sis).union(weapon_sents))
            if not sis:
                continue
            cues = c.cues
            groups = self._groups[ci]
            total = 0.0
            scored: list[tuple[float, int]] = []
            for si in sis:
                cues_here = fired[si].get(ci) or set()
                score = 0.0
                # Only these cues can add to the score; in cue order, as the sum always was.
                for j in sorted(cues_here | termless) if termless else sorted(cues_here):
                    cue = cues[j]
                    if cue.terms:
                        if j in cues_here:
                            score += cue.weight
                    elif _all_fire(groups[j], per_sentence[si], weapon_classes[si], actor_types[si]):
                        score += cue.weight
                if score:
                    total += score
                    if score > 0:
                        scored.append((score, si))
            if total >= c.threshold and scored and scored_max(scored) >= 1.0:
                best = sorted(scored, key=lambda x: (-x[0], x[1]))[:MAX_EVIDENCE]
                evidence = tuple(sentences[si] for _, si in sorted(best, key=lambda x: x[1]))
                out.append(Concern(c.id, c.label, evidence, round(total, 3)))
        out.sort(key=lambda c: (-c.score, c.id))
        return out


def scored_max(scored: list[tuple[float, int]]) -> float:
    return max(x[0] for x in scored)


_Group = tuple[bool, frozenset[str], bool, frozenset[str], frozenset[str]]


def _compile(group: tuple[str, ...]) -> _Group:
    """A group of ``all`` as sets. A group fires when any of its items does: ``weapon:<class>`` when
    the sentence names a weapon of that class (``weapon:*``: any weapon), ``actor:<type>`` likewise
    for actors, and a term when the sentence holds it."""
    weapons = [g[7:] for g in group if g.startswith("weapon:")]
    actors = [g[6:] for g in group if g.startswith("actor:")]
    terms = [g for g in group if not g.startswith(("weapon:", "actor:"))]
    return ("*" in weapons, frozenset(weapons), "*" in actors, frozenset(actors), frozenset(terms))


def _all_fire(groups: tuple[_Group, ...], terms: set[str], wclasses: set[str], atypes: set[str]) -> bool:
    """Whether every group fires (set look-ups instead of two prefix tests per item and sentence)."""
    for any_weapon, wanted_w, any_actor, wanted_a, wanted_t in groups:
        if not ((wclasses and (any_weapon or not wanted_w.isdisjoint(wclasses)))
                or (atypes and (any_actor or not wanted_a.isdisjoint(atypes)))
                or not wanted_t.isdisjoint(terms)):
            return False
    return True
