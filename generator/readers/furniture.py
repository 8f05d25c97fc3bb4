"""Page furniture: the parts of a saved news page that are not the article's prose.

Photo captions and credits, bylines, datelines and agency tags, "Advertisement", share and
subscribe prompts, embedded-post residue, related-link lists and a repeated headline or subhead.
They stay in the source text (shown marked); :func:`find_furniture` returns their character spans
so that summaries, entity discovery and concern evidence can pass over them.

The rules read lines and paragraphs (runs of lines between blank lines), since furniture on a
saved page is laid out as lines of its own; a dateline is the one piece found inside a paragraph,
at its start.
"""

from __future__ import annotations

import re

from generator.models import Span

# Photo agencies and credit words: a short line made of these is a credit, never prose.
_AGENCY = (r"(?:Getty\s+Images|AFP|Reuters|AP(?:\s+Photo)?|EPA(?:-EFE)?|PA(?:\s+Wire)?|Xinhua|Yonhap|KCNA|UPI|"
           r"Shutterstock|Alamy|Bloomberg|NurPhoto|Anadolu(?:\s+Agency)?|Sipa|TASS|Sputnik|Kyodo|"
           r"Associated\s+Press|Pool|POOL|STR|TNS|iStock|SOPA\s+Images|LightRocket|ZUMA(?:\s+Press)?|"
           r"Wire|Handout|HANDOUT)")
_CREDIT_WORD = r"(?:Photo(?:graph)?s?|Pictures?|Image|Images|Credit|Screengrab|Screenshot|Video|Footage|File)"
# A whole line that is a credit: "(KCNA/Reuters)", "© AP Photo/Wong Maye-E", "Getty Images",
# "Photo by X/AFP", "Picture by X, PA Wire", "(MND image)", "(Screengrab: Uriminzokkiri)".
_CREDIT_LINE = re.compile(
    rf"^[(\[]?\s*(?:©\s*|Copyright\s+)?(?:"
    rf"(?:{_CREDIT_WORD})\s*(?:by|:|credit:?)\s*[^\n]{{0,80}}"
    rf"|[^\n()]{{0,60}}?(?:{_AGENCY})(?:\s*(?:/|via|,)\s*[^\n()]{{0,60}})?(?:\s+{_CREDIT_WORD})?"
    rf"|[A-Z][\w.' -]{{0,40}}\s+{_CREDIT_WORD}"
    rf"|©[^\n]{{1,80}})\s*[)\]]?\.?$", re.I)
# The end of a caption: the credit closing a paragraph ("... Photograph: X/AFP via Getty Images",
# "... (KCNA)", "... (MND photo).", "... Image by AP PHOTO").
_CREDIT_TAIL = re.compile(
    rf"(?:(?:{_CREDIT_WORD})\s*(?:by|:)\s*[^\n.]{{2,80}}"
    rf"|\((?:[^()\n]{{0,40}}/(?:{_AGENCY})|[^()\n]{{1,30}}\s+(?:photo|image|file|handout)|(?:photo|image)\s*:[^()\n]{{1,40}})\)"
    rf"|[A-Z][A-Za-z .-]{{1,40}}/(?:{_AGENCY})(?:\s+via\s+{_AGENCY})?"
    rf"|[.,]\s+/\s?(?:{_AGENCY})(?:\s+{_CREDIT_WORD})?)\.?\s*$")
# Caption openers: "In this photo released by ...", "This image provided by ...", "File photo".
_CAPTION_OPENER = re.compile(
    r"^(?:In\s+this\s+(?:\w+\s+){0,3}(?:photo|image|picture|file\s+photo|handout)|"
    r"(?:This|A|An)\s+(?:\w+\s+){0,6}(?:photo|image|picture|screengrab|screenshot)\s+(?:released|provided|"
    r"distributed|taken|posted|made|obtained|shows|from)|"
    r"File\s+(?:photo|picture|image)\b|FILE\s*[-–—:]\s|(?:Photo|Image|Picture)\s*:)", re.I)
# An agency's tag closing a paragraph of prose: "... on May 9. (Kyodo)". Only the tag is furniture.
_AGENCY_TAG_END = re.compile(rf"[.!?”\"’]\s*(\((?:{_AGENCY})\)\.?)\s*$")
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\b(?:[,|]\s*[^\n]{0,80})?$")
# "Times Colonist - - World - JANE ROE and JOHN DOE": names in capitals closing a short line.
_CAPS_BYLINE = re.compile(r"(?:\s[-–—|]\s|^)(?:By\s+)?[A-Z]{2,}(?:\s[A-Z]{2,}){1,2}"
                          r"(?:\s(?:and|&)\s[A-Z]{2,}(?:\s[A-Z]{2,}){1,2})?\s*$")
_CREDITS_BLOCK = re.compile(r"^(?:Reporting|Writing|Editing|Additional reporting)\s+by\b", re.I)
# Prompts, paywall notes and comment boxes: a short line that says one of these is no prose.
_PROMPT = re.compile(
    r"^\W*(?:advertisement|advert|sponsored(?: content)?|skip to (?:main )?content|share(?: this)?(?: article| story)?"
    r"|share on \w+|read more|related(?: articles| stories| news| content| coverage| topics)?|top stories"
    r"|most (?:popular|read|viewed)|more (?:stories|news)|see also|also read|recommended|connected content"
    r"|article search|subscribe(?: now)?|sign up|log ?in|menu|close|topics|tags|comments?"
    r"|(?:leave|post|add) a comment|back to (?:main|home)(?: page)?|image (?:caption|source)"
    r"|listen to (?:this )?article|print(?: this)?(?: article)?|more to come|updates to follow"
    r"|this is a (?:developing|breaking) story\b.*)\W*$", re.I)
_PROMPT_IN = re.compile(
    r"\b(?:click here|subscribe (?:today|now|to)|sign up (?:for|to)|follow us on|(?:whatsapp|telegram) channel"
    r"|newsletter|characters left|read the full article|unlimited access|leave a comment|post a comment"
    r"|views and opinions expressed|did not hold a position|all rights reserved|terms of (?:use|service)"
    r"|privacy policy|cookie|share this (?:article|story)|download (?:our|the) app|disclaimer:"
    r"|browse (?:through )?our|check out our|sign up for our)", re.I)
_RELATED_HEAD = re.compile(r"^\W*(?:read more|related(?: \w+)?|see also|also read|more on this|"
                           r"most popular|recommended|top stories)\s*:?\s*", re.I)
_EMBED = re.compile(r"pic\.twitter\.com/|—\s*[^\n]{1,60}\(@\w+\)|https?://t\.co/")
_HASHTAG = re.compile(r"(?:^|\s)#\w")
_DATE_MARK = re.compile(r"\s*(?:date\s+)?\d{4}-\d{2}(?:-\d{2})?(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\b\s*")
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_DATEISH = re.compile(rf"\b{_MONTH}\s*\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s*{_MONTH}|\b\d{{1,2}}:\d{{2}}\b|"
                      rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b(?:hours?|minutes?|days?) ago\b|\bmin read\b", re.I)
# A dateline opening a paragraph: "SEOUL, April 14 (UPI) --", "MOSCOW, July 29. /TASS/.",
# "BAMAKO (Reuters) - ", "Pyongyang, Jul 29 (IANS): ", "BEIRUT — ", "SEOUL, Kyodo - ".
_CAPS_PLACE = r"[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}"
_DL_DATE = rf"(?:,\s*{_MONTH}\s*\d{{1,2}}(?:,\s*\d{{4}})?\.?)"
_DL_AGENCY = r"(?:\s*\((?:[^()\n]{1,60})\)|\s*/[A-Z][A-Za-z]+/\.?|,\s*[A-Z][A-Za-z]+(?=\s+[-–—]))"
_DL_SEP = r"(?:\s*--\s*|\s+[-–—]\s*|[–—]\s*)"  # a dash set off by space: "BMP-3" is a name
_DATELINE = re.compile(
    rf"(?:{_CAPS_PLACE}(?:,\s*[A-Z][A-Za-z.]+)?{_DL_DATE}?{_DL_AGENCY}?{_DL_SEP}"
    rf"|{_CAPS_PLACE}(?:{_DL_DATE}{_DL_AGENCY}?|{_DL_AGENCY}):\s*"
    rf"|{_CAPS_PLACE}{_DL_DATE}?{_DL_AGENCY}\s+(?=[A-Z])"
    rf"|{_TITLE_PLACE}(?:{_DL_DATE}{_DL_AGENCY}?|{_DL_AGENCY})(?:{_DL_SEP}|:\s*)"
    rf"|{_TITLE_PLACE}\s*\([^()\n]{{1,60}}\d{{4}}\)\s*)")
_FINAL = ".!?\"”’'…"
CAPTION_MAX_WORDS = 60
# Reporting verbs belong to prose; a caption describes a picture ("People watch ...").
_REPORTING = re.compile(r"\b(?:said|says|added|told|according|reported|announced|stated|claimed)\b")


def _paragraphs(text: str) -> list[list[tuple[int, int]]]:
    """Paragraphs as lists of (start, end) of their non-blank lines."""
    paras: list[list[tuple[int, int]]] = [[]]
    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        if line.strip():
            s = pos + len(line) - len(line.lstrip())
            paras[-1].append((s, pos + len(line.rstrip())))
        elif paras[-1]:
            paras.append([])
        pos += len(raw)
    return [p for p in paras if p]


_CREDIT_LOWER = frozenset(["via", "by", "and", "for", "of", "the", "photo", "photos", "photograph", "image",
                           "images", "picture", "pictures", "file", "credit", "handout", "pool", "screengrab",
                           "screenshot", "video", "footage", "wire", "courtesy", "supplied", "photographer"])


def _is_credit(line: str) -> bool:
    s = line.strip()
    if len(s) > 120 or len(s.split()) > 12 or s.endswith(":") or not _CREDIT_LINE.match(s):
        return False
    # Names, agencies and credit words only: "According to the news agency Reuters." is prose.
    lower = {w.lower() for w in re.findall(r"[A-Za-z]+", s) if w[0].islower()}
    return lower <= _CREDIT_LOWER


def _is_short_unstopped(line: str, words: int = 16) -> bool:
    s = line.strip()
    return bool(s) and len(s.split()) <= words and s[-1] not in _FINAL


def _whole_line(line: str, title: str) -> str:
    """What makes a line furniture on its own, read without its neighbours ("" when nothing does)."""
    s = line.strip()
    n = len(s.split())
    if n > 2 * CAPTION_MAX_WORDS:
        return ""  # a paragraph of prose: no furniture rule reads one this long
    if n <= 30:  # prompts, credits, bylines and date lines are short
        if _PROMPT.match(s):
            return "prompt"
        if _is_credit(s):
            return "credit"
        if _CREDITS_BLOCK.match(s):
            return "credits"
        if _PROMPT_IN.search(s):
            return "prompt"
        if _EMBED.search(s):
            return "embed"
        if (_BYLINE.match(s) and n <= 16) or (n <= 14 and _CAPS_BYLINE.search(s)):
            return "byline"
        if n <= 14 and s[-1:] not in ".!?" and _DATEISH.search(s) and len(re.findall(r"\b[a-z]+\b", s)) <= 3:
            return "date"  # "July 29, 7:21 UTC+3 MOSCOW", "August 18, 2020 / 7:02 PM / Updated an hour ago"
        if title and n >= 3 and s.rstrip(".").casefold() in (title.casefold(), "title: " + title.casefold()):
            return "headline"
    if "#" in s and n <= 60 and len(_HASHTAG.findall(s)) >= 2:
        return "embed"  # a post's text carried over from an embed
    if n <= CAPTION_MAX_WORDS and _CAPTION_OPENER.match(s):
        return "caption"
    if n >= 3 and _may_end_in_credit(s) and _CREDIT_TAIL.search(s, max(0, len(s) - 150)):
        return "caption"  # up to two captions run together
    return ""


def _may_end_in_credit(s: str) -> bool:
    """A cheap test before ``_CREDIT_TAIL``: a credit ends in a bracket, or has a slash, colon or "by"."""
    tail = s[-100:]
    return s[-1:] == ")" or s[-2:] == ")." or "/" in tail or ":" in tail or " by " in tail or " By " in tail


def find_furniture(text: str, body_start: int = 0, title: str = "",
                   why: dict[int, str] | None = None) -> tuple[Span, ...]:
    """Spans of ``text`` that are page furniture, in text order and not overlapping.

    ``body_start`` is where the article body starts: the title line above it is never furniture
    (a repeat of it below is).
    """
    spans: list[tuple[int, int]] = []
    paras = _paragraphs(text)
    lines = [ln for p in paras for ln in p]
    line_text = {ln: text[ln[0]:ln[1]] for ln in lines}
    marked: set[tuple[int, int]] = set()

    def mark(ln: tuple[int, int]) -> None:
        if ln not in marked:
            marked.add(ln)
            spans.append(ln)

    # A leading date marker on the first line ("date 2020-08-05 ..."): only the marker.
    if lines:
        first = lines[0]
        m = _DATE_MARK.match(text, first[0], first[1])
        if m and m.end() > first[0]:
            rest = text[m.end():first[1]]
            if m.end() >= first[1] or _whole_line(rest, "") or _is_short_unstopped(rest, 3):
                mark(first)
            else:
                spans.append((first[0], m.end()))
                _dateline(text, m.end(), first[1], spans)
    keys = {ln: text[ln[0]:ln[1]].strip().casefold() for ln in lines}
    later_lines: dict[str, int] = {}
    for ln in reversed(lines):
        later_lines.setdefault(keys[ln], ln[0])
    first_body = next((i for i, p in enumerate(paras) if p[0][0] >= body_start), -1) if body_start else -1
    counts: dict[str, int] = {}
    for k in keys.values():
        counts[k] = counts.get(k, 0) + 1
    repeated_lines = {k for k, n in counts.items() if n > 1 and len(k.split()) >= 6}
    prev_line = {ln: lines[i - 1] for i, ln in enumerate(lines) if i}
    next_line = {ln: lines[i + 1] for i, ln in enumerate(lines[:-1])}
    byline_open = False
    related = teaser = False
    folded: str | None = None  # the text lower-cased with one kind of quote, made when first needed
    for pi, para in enumerate(paras):
        for li, ln in enumerate(para):
            s, e = ln
            if e <= body_start:
                if _alt_text(line_text[ln]) and li + 1 < len(para) and para[li + 1][0] >= body_start:
                    mark(para[li + 1])  # an image's alt text taken for the title: the caption under it
                continue
            line = line_text[ln]
            if (_RELATED_HEAD.match(line) and _is_short_unstopped(line, 6)) or line.strip() in ("Read more:",):
                related = True
                mark(ln)
                continue
            if related and _is_short_unstopped(line, 25):
                mark(ln)  # a link in a related-stories list
                teaser = True
                continue
            if related and teaser and len(line.split()) <= CAPTION_MAX_WORDS:
                mark(ln)  # the teaser under a related link
                teaser = False
                continue
            related = False
            key = keys[ln]
            reason = _whole_line(line, title if s >= body_start else "")
            if li == 0:
                byline_open = False  # a byline's own lines end with its paragraph
            if reason == "byline":
                byline_open = True
            if reason:
                mark(ln)
                if why is not None:
                    why[s] = reason
                if reason == "credit":
                    _mark_caption_before(paras, pi, li, text, body_start, mark)
                continue
            if line.lstrip()[:1] in _BULLETS and len(line.split()) <= 25 and (
                    _is_short_unstopped(line.lstrip("•·■► \t"), 25)
                    or any(_is_bullet(line_text[o]) for o in (prev_line.get(ln), next_line.get(ln)) if o)):
                mark(ln)  # a list of links: "• Yemen. Rebels welcome ..."
                continue
            if key in repeated_lines:
                mark(ln)  # the same caption or teaser twice over: no copy of it is prose
                continue
            if byline_open and (_BIO.search(line) or _NAME_ONLY.match(line.strip())):
                mark(ln)  # the author's name again and a line about them, under a byline
                continue
            if _alt_text(line):
                mark(ln)  # an image's alt text left on the page: "saudi oil facility"
                if li + 1 < len(para) and len(line_text[para[li + 1]].split()) <= CAPTION_MAX_WORDS:
                    mark(para[li + 1])  # and the caption under it
                continue
            if ln in marked:
                continue
            glued = _GLUED_DATELINE.match(text, s, e) if ":" in text[s:min(e, s + 200)] else None
            if glued:
                spans.append((s, glued.end()))  # "... at Baghdad airportBAGHDAD: ": headline and dateline run together
            # A subhead or caption line repeated later in the text: the later one is the prose.
            if later_lines[key] > s and line.rstrip()[-1] not in ".!?" and len(key.split()) >= 3:
                mark(ln)
                continue
            if pi < TOP_PARAGRAPHS and folded is None:
                folded = _fold(text)
            if pi < TOP_PARAGRAPHS and folded is not None and _recurs_later(folded, s, e):
                mark(ln)  # a caption or standfirst near the top repeating a sentence of the prose
                continue
            if (pi == first_body and len(para) == 1 and len(paras) > pi + 1 and line.rstrip()[-1] not in _FINAL
                    and _is_short_unstopped(line, 30) and len(line.split()) >= 6
                    and not line.rstrip().endswith(":") and not _REPORTING.search(line)):
                mark(ln)  # a standfirst right under the headline: "More than 3,000 hurt as ..."
                continue
            tag = _AGENCY_TAG_END.search(text, max(s, e - 60), e) if text[e - 1:e] in ")." else None
            if tag:
                spans.append(tag.span(1))
            _dateline(text, s, e, spans)
    spans.sort()
    out: list[Span] = []
    for s, e in spans:
        while e > s and text[e - 1].isspace():
            e -= 1
        # Spans touching, or lines of one paragraph, are one span.
        if out and (s <= out[-1].end or (not text[out[-1].end:s].strip() and "\n\n" not in text[out[-1].end:s])):
            if e > out[-1].end:
                last = out.pop()
                out.append(Span(last.start, e, text[last.start:e]))
            continue
        if e > s:
            out.append(Span(s, e, text[s:e]))
    return tuple(out)


OPENING_WORDS = 10
TOP_PARAGRAPHS = 10  # captions and standfirsts that repeat the prose sit near the top


_QUOTES = (("“", '"'), ("”", '"'), ("„", '"'), ("«", '"'), ("»", '"'), ("‘", "'"), ("’", "'"), ("‚", "'"))


def _fold(text: str) -> str:
    """``text`` lower-cased with one kind of double and single quote, offsets unchanged."""
    low = text.lower()
    if len(low) != len(text):
        low = text
    for curly, plain in _QUOTES:
        if curly in low:  # a replace only where the quote occurs: most texts use one or two kinds
            low = low.replace(curly, plain)
    return low


def _recurs_later(folded: str, start: int, end: int) -> bool:
    """Whether a sentence after ``end`` opens with the same first words as the line at ``start``
    (case and the kind of quotes aside): the line then repeats it."""
    cut = folded[start:end].split(None, OPENING_WORDS)
    if len(cut) <= OPENING_WORDS:
        return False  # ten words or fewer: too short to tell a repeat from a common opening
    prefix = " ".join(cut[:OPENING_WORDS])
    at = folded.find(prefix, end)
    while at >= 0:
        before = folded[max(0, at - 3):at].rstrip(" \t\"'(")
        if not before or before[-1] in ".!?\n":
            return True
        at = folded.find(prefix, at + 1)
    return False


_GLUED_DATELINE = re.compile(r"[^\n]{10,160}?[a-z][A-Z]{3,}(?: [A-Z]{3,})?:\s+(?=[A-Z])")


def _alt_text(line: str) -> bool:
    """A few lower-case words without a stop: an image's alt text left on the page ("saudi oil facility")."""
    return line.lstrip()[:1].islower() and len(line.split()) <= 5 and line.rstrip()[-1] not in ".!?\"”’"


_BULLETS = "•·■►"


def _is_bullet(line: str) -> bool:
    return line.lstrip()[:1] in _BULLETS


# Under a byline: the author's name alone, and a line about the author.
_NAME_ONLY = re.compile(r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}$")
_BIO = re.compile(r"^\s*[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? (?:has (?:reported|written|covered)|is an? (?:\w+ ){0,2}"
                  r"(?:reporter|correspondent|writer|editor|journalist|columnist)|covers )")


def _dateline(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> None:
    d = _DATELINE.match(text, s, e)
    if d and d.end() < e and _dateline_ok(d.group()):
        spans.append((s, d.end()))


def _dateline_ok(prefix: str) -> bool:
    """A dateline names a place in capitals, or a place with a date or an agency ("Pyongyang, Jul 29
    (IANS):"); a sentence opening with a name and a colon ("Trump: ...") is not one."""
    head = prefix.strip()
    word = head.split(",")[0].split("(")[0].split("/")[0].strip(" -–—:")
    if not word:
        return False
    if word.isupper() and len(word.replace(" ", "")) >= 3:
        return not (head.endswith(":") and " " in word)  # "THE UKRAINE WAR:" is a kicker, not a place
    return "(" in head or "/" in head or bool(re.search(r"\d", head))


def _mark_caption_before(paras: list[list[tuple[int, int]]], pi: int, li: int, text: str,
                         body_start: int, mark: object) -> None:
    """A credit line closes a caption: the lines above it in its paragraph, or, when the credit
    stands alone, the paragraph above, and short unstopped lines above that ("Kim Jong Un" repeated)."""
    assert callable(mark)
    para = paras[pi]
    if li > 0:
        above = para[:li]
        if sum(len(text[s:e].split()) for s, e in above) <= CAPTION_MAX_WORDS:
            for ln in above:
                mark(ln)
        return
    k = pi - 1
    # Only a paragraph right above the credit (one blank line between) is its caption.
    if k >= 0 and paras[k][0][0] >= body_start and text.count("\n", paras[k][-1][1], para[0][0]) <= 2:
        prev = paras[k]
        words = " ".join(text[s:e] for s, e in prev)
        if len(words.split()) <= CAPTION_MAX_WORDS and len(prev) <= 2 and not _REPORTING.search(words):
            for ln in prev:
                mark(ln)
            k -= 1
            while (k >= 0 and len(paras[k]) == 1 and paras[k][0][0] >= body_start
                   and _is_short_unstopped(text[paras[k][0][0]:paras[k][0][1]], 8)):
                mark(paras[k][0])
                k -= 1
