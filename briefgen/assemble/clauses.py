"""An event's words as a clean clause: no dateline, byline or wire credit before it, no dangling 'that'.

Extraction reads an event from its clause; the first clause of a story can carry what the wire put
before it ("TOWN, Aug. 5 (Agency) --", "TOWN, Some Region -", "(Agency) -", "By Jane Doe") and
a clause cut from a longer sentence can start with the word that joined it ("which", "that"). Only
the shape of the text is read: capitals, punctuation and the dash that ends a dateline.
"""

from __future__ import annotations

import re

_DASH = r"(?:--|[-–—])"
# "TOWN, Aug. 5 (Agency) --", "TOWN/OTHER TOWN -", "TOWN, Abbr. –": a name in capitals, then
# whatever the wire adds (a region, a date, the agency) before the dash.
_WIRE_DATELINE = re.compile(
    rf"^[A-Z][A-Z'’.-]+(?:[ /][A-Z][A-Z'’.-]+)*"
    rf"(?:,[^,()–—\n]{{1,40}}?)?(?:\s*\([^()\n]{{1,40}}\))?\s*{_DASH}\s+(?=[A-Z\"“(])"
)
# "Some Region - The ...": what is left of a dateline whose name in capitals was cut off.
_DATELINE_TAIL = re.compile(rf"^(?:[A-Z][\w.'’]*,?\s+){{0,3}}[A-Z][\w.'’]*\s+{_DASH}\s+(?=[A-Z\"“])")
_AGENCY = re.compile(rf"^\([A-Z][^()\n]{{1,40}}\)\s*{_DASH}\s*")
# "By Jane Doe TOWN ...", "By: AGENCY AND OUTLET -": a byline, before a dateline or a dash.
_BYLINE = re.compile(rf"^By\s*:?\s*(?:[A-Z][\w.'’-]*\s+){{1,4}}(?=[A-Z]{{3,}}\b)|^By\s*:\s*[^\n–—-]{{1,80}}{_DASH}\s*")
_JOINING_WORD = re.compile(r"^(?:that|which|who)\s+")
_STRIPS = (_BYLINE, _AGENCY, _WIRE_DATELINE, _DATELINE_TAIL, _JOINING_WORD)


def clean_clause(text: str) -> str:
    """The clause without a leading byline, dateline, wire credit or joining word, starting with a capital."""
    clause = " ".join(text.split())
    for pattern in _STRIPS:
        trimmed = pattern.sub("", clause, count=1)
        if trimmed.strip():  # never strip a clause away entirely
            clause = trimmed
    return clause[:1].upper() + clause[1:]


_QUALIFIERS = frozenset({"about", "approximately", "roughly", "around", "nearly", "almost", "some", "over",
                         "under", "between", "more", "fewer", "less", "up", "at", "close", "estimated", "an",
                         "a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                         "dozens", "hundreds", "thousands", "several"})


def figure_words(text: str) -> str:
    """A figure's words as they read inside a line: the capital a sentence gave its first word dropped
    ("Between 150 and 200" -> "between 150 and 200"), names and digits kept."""
    words = " ".join(text.split())
    first = words.split(" ", 1)[0]
    return words[:1].lower() + words[1:] if first.lower() in _QUALIFIERS else words
