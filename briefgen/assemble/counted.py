"""What a reported figure counts, read from its sentence: the thing, what happened to it, where and when.

Two figures count the same thing (`same_thing`) only when all of these agree:
- the noun: the same head word ('foreign troop levels' and 'foreign troops' are both 'troop'), and the same
  qualifiers (the force: 'foreign', 'rebel') or none on one side;
- the outcome: what the sentence says happened to what is counted, read from the words nearest the
  figure (`OUTCOMES`: killed, wounded, held, ... present, deployed): '200 killed' and '200 soldiers
  remain' are different things, and a figure with no outcome word is not one with an outcome;
- the place: the most specific places each names (towns and sites before regions, regions before
  countries) have one in common, so a town does not go with its country, nor one town with another.
  A figure whose sentence names no place goes with another placeless one only from the same source,
  or when its noun names a force ('foreign troops');
- the period: the date of the event the figure's clause reports, else the source's publication month.
  Two event dates to the day must be at most `SAME_DAYS` apart; anything else must share its month;
- projections ('expected to drop ... to fewer than 500') go only with projections.

The words of a sentence that go with a figure are, in this order of preference: those after it in the
same clause, then those before it, then those after it across a clause break — never across another
figure unless the two are listed together ('killing 30 soldiers and 20 civilians in <town>').
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, takewhile

from briefgen.assemble.citations import Citer
from briefgen.assemble.happenings import dates_agree
from briefgen.assemble.index import FactIndex
from briefgen.extract.datelines import is_dateline
from briefgen.facts import Event, Location, Quantity

SAME_DAYS = 3  # two reports of one incident may date it a day or two apart

# What a figure of people reports happened to them, as the words are written (general English, not a
# theatre's vocabulary). The key is the word a label uses: "Soldiers killed".
OUTCOMES: dict[str, str] = {
    "killed": r"kill(?:s|ed|ing)?|dead|died|dies|dying|slain|executed|massacred|perished|lost their lives",
    "wounded": r"wound(?:s|ed|ing)?|injur(?:ed|es|ing|y|ies)|hurt|maimed",
    "held": r"arrest(?:s|ed|ing)?|detain(?:s|ed|ing)?|captur(?:e|es|ed|ing)|abduct(?:s|ed|ing)?"
            r"|kidnap(?:s|ped|ping)?|held|holds?|holding|taken hostage",
    "freed": r"freed|releas(?:e|es|ed|ing)|rescu(?:e|es|ed|ing)",
    "displaced": r"displac(?:e|es|ed|ing)|fled|flee(?:s|ing)?|evacuat(?:e|es|ed|ing)|uprooted",
    "missing": r"missing|unaccounted for",
    "present": r"remain(?:s|ed|ing)?|stationed|garrisoned|stay(?:s|ed|ing)?",
    "deployed": r"deploy(?:s|ed|ing)?|dispatch(?:es|ed|ing)?|sent",
    "withdrawn": r"withdr(?:ew|awn|aws|awing)|pull(?:s|ed|ing)? out|depart(?:s|ed|ing)?",
    "returned": r"return(?:s|ed|ing)?|repatriat(?:e|es|ed|ing)|brought (?:back|home)",
    "recruited": r"recruit(?:s|ed|ing)|enlist(?:s|ed|ing)?",
    "trained": r"train(?:s|ed|ing)",
}
# The word bounds stand outside the alternatives: tried once a position, not once an outcome (three times faster).
_OUTCOME = re.compile("(?<![\\w-])(?:" + "|".join(f"(?P<{name}>{words})" for name, words in OUTCOMES.items())
                      + ")(?![\\w-])", re.IGNORECASE)
# What ends a clause between a figure and a word: punctuation or a word that starts another clause.
_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\b(?:and|but|or|while|whereas|where|which|who|when|after|as)\b", re.IGNORECASE)
# Figures listed together: "30 soldiers and 20 civilians", "180 families, some 650 people".
_LISTED = re.compile(r"(?:\s+[\w'’-]+){0,3}?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as)\s+)", re.IGNORECASE)
# Between two place names that name one setting: "<town> in <country>", "<town> and <town>", "<country>–<country>".
_PLACE_LINK = re.compile(r"\s*(?:[,/–—-]|,?\s*\b(?:and|or|in)\b)\s*(?:the\s+)?", re.IGNORECASE)
# A figure is a projection when its sentence looks ahead and the figure is where things are headed:
# "troop levels are expected to drop from about 2,500 to fewer than 500".
_LOOKS_AHEAD = re.compile(r"\b(?:expect(?:s|ed)?|will|would|plan(?:s|ned)?|due|projected|forecast|aims?|target)\b",
                          re.IGNORECASE)
_HEADED_TO = re.compile(r"\b(?:to|by|below|under)\s*$", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"\b(?:citing|according to|quoting|sources?:|sourcing:)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"([.!?][\"'”’)\]]*)\s+")  # group 1: the stop and what closes it
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "pvt", "brig",
    "adm", "cmdr", "gov", "sen", "rep", "pres", "st", "mt", "no", "nos", "vs", "etc", "inc", "co", "corp",
    "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est",
})
_GENERIC_WORDS = frozenset({
    "the", "a", "an", "of", "some", "level", "levels", "number", "numbers", "total", "about", "in", "its",
    "their", "his", "her", "our", "all", "other", "others", "more", "estimated", "further", "additional",
})
_IRREGULAR = {"men": "man", "women": "woman", "children": "child", "people": "person", "police": "police"}
# How finely a kind of place locates: a town or a site, then a region, then a country.
_FINENESS = {"country": 2, "region": 1}


@dataclass(frozen=True)
class Noun:
    """What a figure counts: the head word and its qualifiers (the force or kind), singular, lower case."""

    head: str
    qualifiers: frozenset[str]

    def agrees(self, other: Noun) -> bool:
        """The same head, and the same qualifiers or none on one side ('soldiers', 'army soldiers')."""
        return self.head == other.head and (
            self.qualifiers == other.qualifiers or not self.qualifiers or not other.qualifiers)


@dataclass
class Counted:
    """One figure as read from its sentence: what it counts, what happened, where and when."""

    quantity: Quantity
    subject: str  # what it counts, as the source writes it ('UN troop levels')
    noun: Noun
    outcome: str | None
    sentence: tuple[int, int]  # offsets of its sentence in the document's text
    where: tuple[Location, ...] = ()  # the most specific places it is set in, in the order written
    event: Event | None = None  # the dated event its clause reports, if any (`Reader.event`)
    when: str = ""  # ISO date: its event's date, else the source's publication month ('' when unknown)
    exact: bool = False  # `when` is an event's date to the day
    projected: bool = False


@dataclass(frozen=True)
class FigureReading:
    """What a figure's sentence says of it, read from its document's text, publication date and facts alone, so
    the same in every set of a build's facts that holds the document (`FactIndex.read_once`): places by id,
    since each set merges its own places, and its event by id."""

    subject: str
    noun: Noun
    outcome: str | None
    sentence: tuple[int, int]
    places: tuple[tuple[str, int], ...]  # (place id, where the sentence first names it), in the order named
    event: str | None
    when: str
    projected: bool  # the sentence up to the figure looks ahead and leads to it ('expected to drop ... to')


def same_thing(first: Counted, second: Counted) -> bool:
    """Whether two figures count the same thing about the same subject in the same period (module doc)."""
    return _same_but_place(first, second) and _same_place(first, second)


def _same_but_place(first: Counted, second: Counted) -> bool:
    return (first.projected == second.projected and first.outcome == second.outcome
            and first.noun.agrees(second.noun) and same_period(first, second))


class SameThings:
    """Figures that count one thing, gathered one by one: `takes` says whether a figure counts the same thing
    as every one of them (`same_thing`), in a time that grows with how many kinds of figure they are, not
    with how many: figures alike in all `same_thing` reads (but their source, when they name no place) are
    one kind, remembered with the sources of its figures."""

    def __init__(self) -> None:
        self._kinds: dict[tuple[object, ...], tuple[Counted, set[str]]] = {}

    def add(self, counted: Counted) -> None:
        """Count one more figure among them."""
        key = (counted.projected, counted.outcome, counted.noun, counted.exact, counted.when,
               frozenset(place.id for place in counted.where))
        kind = self._kinds.setdefault(key, (counted, set()))
        kind[1].add(counted.quantity.doc)

    def takes(self, counted: Counted) -> bool:
        """Whether `same_thing(member, counted)` holds for every figure gathered."""
        return all(self._takes(kind, docs, counted) for kind, docs in self._kinds.values())

    @staticmethod
    def _takes(kind: Counted, docs: set[str], counted: Counted) -> bool:
        if not _same_but_place(kind, counted):
            return False
        if kind.where or counted.where:
            return _same_place(kind, counted)
        # Placeless figures: each from the figure's own source, unless their noun names a force.
        return docs == {counted.quantity.doc} or (
            bool(kind.noun.qualifiers) and kind.noun.qualifiers == counted.noun.qualifiers)


def same_period(first: Counted, second: Counted) -> bool:
    """Event dates to the day at most `SAME_DAYS` apart; otherwise the same month (or year, if that is all)."""
    if first.exact and second.exact:
        days = dt.date.fromisoformat(first.when) - dt.date.fromisoformat(second.when)
        return abs(days.days) <= SAME_DAYS
    return dates_agree(first.when[:7], second.when[:7])


def _same_place(first: Counted, second: Counted) -> bool:
    if first.where or second.where:
        return bool({place.id for place in first.where} & {place.id for place in second.where})
    return first.quantity.doc == second.quantity.doc or (
        bool(first.noun.qualifiers) and first.noun.qualifiers == second.noun.qualifiers)


@lru_cache(maxsize=8192)
def period_label(iso: str) -> str:
    """'Mar 2025' for a month or a day, '2025' for a year, '' when unknown."""
    parts = iso.split("-")
    if len(parts) < 2 or not parts[0]:
        return parts[0]
    return f"{calendar.month_abbr[int(parts[1])]} {parts[0]}"


def noun_of(subject: str) -> Noun | None:
    """The noun a subject names, singular and without words that count nothing ('U.N. troop levels' -> troop, un)."""
    words = [_singular(word) for word in re.sub(r"[^\w'’-]+", " ", subject.lower().replace(".", "")).split()
             if word not in _GENERIC_WORDS]
    if not words:
        return None
    if {"and", "or"} & set(words):  # 'fighters and relatives': the phrase is the head
        return Noun(" ".join(words), frozenset())
    return Noun(words[-1], frozenset(words[:-1]))


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def names_outcome(subject: str) -> bool:
    """Whether what is counted already says what happened to it ('the dead', 'people killed'): a label then
    adds no outcome word."""
    return bool(_OUTCOME.search(subject))


def names_a_term(subject: str, terms: Iterable[str]) -> bool:
    """Whether a word of the subject starts with one of the terms (every subject when there are none)."""
    return _names_a_term(subject, tuple(terms))


@lru_cache(maxsize=65536)  # subjects repeat: 'people killed' in thousands of sources
def _names_a_term(subject: str, terms: tuple[str, ...]) -> bool:
    lowered = [term.lower() for term in terms]
    words = re.sub(r"\W+", " ", subject.lower()).split()  # 'micro-cells' names 'cell'
    return not lowered or any(word.startswith(term) for word in words for term in lowered)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The (start, end) of the sentence around `offset`: within its line, ended by . ! or ? before a capital
    or a digit, not after an abbreviation or an initial."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    start = line_start
    for match in _SENTENCE_END.finditer(text, line_start, line_end):
        if not _ends_sentence(text, match.start(), match.end()):
            continue
        if match.end(1) > offset:
            return start, match.end(1)
        start = match.end()
    return start, line_end


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    """Whether the stop at `stop` ends its sentence: not after an abbreviation or an initial, nor before a
    small letter (at `after`)."""
    word = re.search(r"[\w.]*$", text[max(0, stop - 12):stop])
    before = word.group() if word else ""
    if before.lower() in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", before):
        return False
    following = text[after:after + 3].lstrip()[:1]
    return not following or not following.islower()


def _is_projection(before: str) -> bool:
    """Whether the words of a sentence up to a figure look ahead and lead to it: '... expected to drop ... to'."""
    return bool(_HEADED_TO.search(before) and _LOOKS_AHEAD.search(before))


class Reader:
    """Reads each figure of a brief's facts from its sentence (see the module docstring)."""

    def __init__(self, citer: Citer, index: FactIndex) -> None:
        self.citer = citer
        self.index = index
        self._sorted_figures: dict[str, tuple[list[Quantity], list[int]]] = {}

    def read(self, quantity: Quantity) -> Counted | None:
        """The figure as read from its sentence, or None when it names nothing counted or counts sources."""
        reading = self.index.read_once(("figure", quantity.doc, quantity.id), lambda: self._reading(quantity))
        if reading is None:
            return None
        placed = self._placed(reading)
        fineness = min((_fineness(place) for place in placed), default=0)
        event = self.index.event_in(quantity.doc, reading.event) if reading.event else None
        return Counted(
            quantity=quantity, subject=reading.subject, noun=reading.noun, outcome=reading.outcome,
            sentence=reading.sentence, where=tuple(place for place in placed if _fineness(place) == fineness),
            event=event, when=reading.when, exact=event is not None and reading.when.count("-") == 2,
            projected=reading.projected,
        )

    def _reading(self, quantity: Quantity) -> FigureReading | None:
        """What the figure's sentence says of it, read from its document alone (`FigureReading`)."""
        noun = noun_of(quantity.subject or "")
        text = self.citer.text(quantity.doc)
        if noun is None or _ATTRIBUTION.search(text[max(0, quantity.start - 30):quantity.start]):
            return None
        sentence = sentence_bounds(text, quantity.start)
        event = self.event(quantity)
        return FigureReading(
            subject=_as_written(quantity.subject or "", text, sentence), noun=noun,
            outcome=self._outcome(quantity, sentence), sentence=sentence, places=self._places_named(quantity, sentence),
            event=event.id if event else None,
            when=event.date if event and event.date else self.citer.published(quantity.doc)[:7],
            projected=_is_projection(text[sentence[0]:quantity.start]),
        )

    def _outcome(self, quantity: Quantity, sentence: tuple[int, int]) -> str | None:
        """What the sentence says happened to what the figure counts: the outcome word nearest it (`_nearest`)."""
        found = {match.span(): match.lastgroup for match in _OUTCOME.finditer(self.citer.text(quantity.doc), *sentence)}
        nearest = self._nearest(quantity, list(found), sentence[1])
        return found[nearest] if nearest else None

    def _places_named(self, quantity: Quantity, sentence: tuple[int, int]) -> tuple[tuple[str, int], ...]:
        """The places a figure is set in, in the order named, each with where the sentence first names it: the
        place nearest it (`_nearest`) with those named together with it ('<town> in <country>', '<town> and
        <town>', '<country>–<country>')."""
        text = self.citer.text(quantity.doc)
        mentions = [(start, end, place.id) for start, end, place in self.index.places_within(quantity.doc, *sentence)
                    if not is_dateline(text, start, end) and not (start < quantity.end and quantity.start < end)]
        nearest = self._nearest(quantity, [(start, end) for start, end, _ in mentions], sentence[1])
        if not nearest:
            return ()
        together = _named_together(text, [(start, end) for start, end, _ in mentions], nearest)
        first_named: dict[str, int] = {}
        for start, _, place in mentions:
            first_named.setdefault(place, start)
        return tuple((place, first_named[place]) for start, end, place in mentions if (start, end) in together)

    def _placed(self, reading: FigureReading) -> list[Location]:
        """The places a reading names, as this fact set holds them: ordered by where the sentence first names each,
        the more specific first where one name holds another ('<town>' inside '<town> Province'); each once."""
        named = sorted(((self.index.location(place), first) for place, first in reading.places),
                       key=lambda pair: _fineness(pair[0]))
        named.sort(key=lambda pair: pair[1])
        return list({place.id: place for place, _ in named}.values())

    def _nearest(self, quantity: Quantity, spans: list[tuple[int, int]], sentence_end: int) -> tuple[int, int] | None:
        """The span of the first tier that has any, nearest the figure: after it in its clause, then before it, then
        after it across a clause break where no figure of its own follows it (`_governs_another`); each reachable
        without crossing another figure (`_reachable`). Spans at the same distance keep their given order."""
        text = self.citer.text(quantity.doc)
        after = sorted((span for span in spans if span[0] >= quantity.end), key=lambda span: span[0])
        before = sorted((span for span in spans if span[1] <= quantity.start), key=lambda span: -span[1])
        # those after the figure in its clause come first among those after it: a break before one is before all later
        in_clause = len(list(takewhile(lambda span: not _CLAUSE_BREAK.search(text, quantity.end, span[0]), after)))
        tiers = ((after[:in_clause], False), (before, False), (after[in_clause:], True))
        return next((span for tier, beyond in tiers for span in tier
                     if self._reachable(quantity, span)
                     and not (beyond and self._governs_another(quantity, span, sentence_end))), None)

    def _governs_another(self, quantity: Quantity, span: tuple[int, int], sentence_end: int) -> bool:
        """Whether another figure follows a span in the span's own clause: in '1,000 fighters, and it holds
        about 9,000 detainees' the word 'holds' goes with 9,000, not with 1,000."""
        figures, starts = self._figures_of(quantity.doc)
        following = (other for other in figures[bisect_left(starts, span[1]):] if other is not quantity)
        other = next(following, None)
        return (other is not None and other.start < sentence_end
                and not _CLAUSE_BREAK.search(self.citer.text(quantity.doc), span[1], other.start))

    def _reachable(self, quantity: Quantity, span: tuple[int, int]) -> bool:
        """Whether no other figure stands between the figure and a span, unless all are listed together."""
        low, high = (quantity.end, span[0]) if span[0] >= quantity.end else (span[1], quantity.start)
        figures, starts = self._figures_of(quantity.doc)
        between = [(other.start, other.end) for other in figures[bisect_left(starts, low):bisect_right(starts, high)]
                   if other is not quantity and other.end <= high]
        if not between:
            return True
        chain = ([(quantity.start, quantity.end), *between] if span[0] >= quantity.end
                 else [*between, (quantity.start, quantity.end)])
        text = self.citer.text(quantity.doc)
        return all(_LISTED.fullmatch(text, first[1], second[0]) for first, second in pairwise(chain))

    def _figures_of(self, doc: str) -> tuple[list[Quantity], list[int]]:
        """A document's figures in the order written (by start, then end), and their starts."""
        if doc not in self._sorted_figures:
            figures = sorted(self.index.quantities_in(doc), key=lambda other: (other.start, other.end))
            self._sorted_figures[doc] = figures, [other.start for other in figures]
        return self._sorted_figures[doc]

    def event(self, quantity: Quantity) -> Event | None:
        """The event the figure's clause reports: the innermost dated, reported (not planned) one whose
        clause holds the figure, not after the source's publication, whose date words go with the figure."""
        published = self.citer.published(quantity.doc)
        holding = [event for event in self.index.events_in(quantity.doc)
                   if event.date and not event.planned
                   and event.start <= quantity.start and quantity.end <= event.end
                   and (not published or event.date <= published or dates_agree(event.date, published))
                   and self._date_words_go_with(quantity, event)]
        return min(holding, key=lambda event: event.end - event.start, default=None)

    def _date_words_go_with(self, quantity: Quantity, event: Event) -> bool:
        """Whether the event's date words reach the figure (`_reachable`): in '41,000, down from 57,000 at the
        end of 2024' the date goes with 57,000 only. True when the event has no date words."""
        if not event.date_text:
            return True
        at = self.citer.text(quantity.doc).find(event.date_text, event.start, event.end)
        return at >= 0 and self._reachable(quantity, (at, at + len(event.date_text)))


def _as_written(subject: str, text: str, sentence: tuple[int, int]) -> str:
    """The subject in the case its sentence writes it ('UN troop levels' for 'un troop levels')."""
    at = text.lower().find(subject.lower(), *sentence)
    return " ".join(text[at:at + len(subject)].split()) if at >= 0 and subject else subject


def _named_together(text: str, spans: list[tuple[int, int]], nearest: tuple[int, int]) -> set[tuple[int, int]]:
    """The run of place names (sorted spans) holding `nearest` whose names overlap or are joined by a comma,
    a dash, a slash, 'and', 'or' or 'in'."""
    runs: list[list[tuple[int, int]]] = []
    for span in spans:
        if runs and (span[0] < runs[-1][-1][1] or _PLACE_LINK.fullmatch(text, runs[-1][-1][1], span[0])):
            runs[-1].append(span)
        else:
            runs.append([span])
    return next(set(run) for run in runs if nearest in run)


def _fineness(place: Location) -> int:
    return _FINENESS.get(place.kind, 0)
