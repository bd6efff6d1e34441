"""Names that are no actor of the story: the document's outlet, news organizations, bylines, labels.

A whole cluster of linked mentions is dropped when one of its mentions names a
news organization (the document's own outlet, a name ending in "News" or
"Courier", "the newspaper X") that is not a source of the story, a byline
("Filed by X", "Reporting by X; Writing by Y"), a picture credit ("AP Photo"), a
platform ("Telegram") or a vessel ("the cargo ship X"). An outlet told something,
spoken to, cited or reporting ("told Reuters", "according to AFP") is a source
and stays. A cluster of single capitalised words not in the gazetteer is dropped
when every mention stands where a label or heading word stands (before a colon,
in a heading, or opening a sentence without being the subject of a verb):
"Methodology: three clinics ...". The word lists are data: data/nonactors.yaml.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from spacy.tokens import Span

from briefgen.extract.actors import Candidate
from briefgen.extract.known import name_key
from briefgen.extract.lexicon import (
    BYLINE_CUES,
    MEDIA_NAME_PAIRS,
    MEDIA_NAME_WORDS,
    MEDIA_NOUNS,
)
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import Paragraphs, sentence_of
from briefgen.extract.wordlists import WordLists, Words, load_words

_WORD = re.compile(r"[A-Za-z]+")
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$")
_NOT_NEWS_DOMAINS = frozenset({"gov", "mil", "int", "org", "gouv", "gob"})
OUTLET_PREFIX_MIN = 5  # letters a name must share with the outlet's address to be taken for it
_CREDIT_WORD = re.compile(r"[A-Za-z/]+")
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}


def drop_non_actors(candidates: list[Candidate], paragraphs: Paragraphs, outlet: str | None,
                    url: str | None = None) -> list[Candidate]:
    """The candidates left after removing clusters that name no actor of the story. The outlet is the one
    the source names, else the one its address shows ("rudaw.net" is Rudaw)."""
    outlet_key = name_key(outlet) if outlet else _host_label(url)
    clusters: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        clusters.setdefault(candidate.cluster, []).append(candidate)
    # An outlet the story cites is an actor even where it is also credited ("ERBIL (Kurdistan24) –").
    dropped = {
        cluster
        for cluster, members in clusters.items()
        if any(_never_actor(member) for member in members)
        or (not any(member.kind == "organization" and is_cited(member.span) for member in members)
            and any(_names_source(member, paragraphs, outlet_key) or _is_credit(member, paragraphs)
                    for member in members))
        or all(_is_label_word(member, paragraphs) for member in members)
    }
    return [candidate for candidate in candidates if candidate.cluster not in dropped]


def _host_label(url: str | None) -> str | None:
    """The name part of a news site's host: "rudaw" of "https://www.rudaw.net/english". The site of a
    government, an armed force or an organization (.gov, .mil, .int, .org) publishes as an actor."""
    host = urlsplit(url or "").hostname or ""
    labels = [label for label in host.split(".") if label not in ("www", "en", "english", "m")]
    if len(labels) < 2 or any(label in _NOT_NEWS_DOMAINS for label in labels[1:]):
        return None
    return labels[0]


def _is_outlet(name: str, outlet_key: str) -> bool:
    """A name is the outlet's when the two read alike without spaces and hyphens, or one begins with the
    other ("Shafaq News" and shafaq.com, "Kurdistan24" and kurdistan24.net)."""
    name_part, outlet_part = name_key(name).replace("-", ""), outlet_key.replace("-", "")
    if name_part == outlet_part:
        return True
    shorter, longer = sorted((name_part, outlet_part), key=len)
    return len(shorter) >= OUTLET_PREFIX_MIN and longer.startswith(shorter)


def _names_source(candidate: Candidate, paragraphs: Paragraphs, outlet_key: str | None) -> bool:
    """The outlet or a news organization (never a gazetteer actor, except the outlet)."""
    span = candidate.span
    if outlet_key and _is_outlet(span.text, outlet_key):
        return True
    return candidate.known is None and candidate.kind == "organization" and is_media_name(span)


def _never_actor(candidate: Candidate) -> bool:
    """A platform, a vessel, a plan or a category of people: never an actor (unless the gazetteer says so)."""
    if candidate.known is not None:
        return False
    span, words = candidate.span, vocabulary()
    if span.text.lower() in words.platforms:
        return True
    if any(token.lower_ in words.vessel_nouns for token in span.doc[max(0, span.start - 3) : span.start]):
        return True
    return candidate.kind == "organization" and span[-1].lower_ in words.non_agent_heads


def _is_credit(candidate: Candidate, paragraphs: Paragraphs) -> bool:
    """A byline or a picture or agency credit (unless the gazetteer says so)."""
    if candidate.known is not None:
        return False
    span, words = candidate.span, vocabulary()
    lowered = [word.lower() for word in _CREDIT_WORD.findall(span.text)]
    if any(word in words.credit_words for word in lowered):
        return True
    return is_byline(span, paragraphs) or _credited_in_parentheses(span)


def _credited_in_parentheses(span: Span) -> bool:
    """An agency credited in a dateline or time stamp: "NIAMEY, Dec. 22 (Xinhua) --", "(Xinhua) 13:44"."""
    doc = span.doc
    if span.start == 0 or span.end + 1 >= len(doc) or doc[span.start - 1].text != "(" or doc[span.end].text != ")":
        return False
    after = doc[span.end + 1]
    return after.text in ("-", "--", "–", "—") or after.like_num or bool(_CLOCK.match(after.text))


def is_cited(span: Span) -> bool:
    """An organization the story cites as its source: told something ("told Reuters"), spoken to
    ("speaking to Shafaq News", "in an interview with Channel4"), cited ("according to AFP", "as reported
    by France24") or reporting ("Kurdistan24 reported")."""
    words, root = vocabulary(), span.root
    while root.dep_ in ("appos", "compound") and root.head is not root:  # "the newspaper X reported"
        root = root.head
    head = root.head
    if root.dep_ in ("dobj", "dative") and head.lemma_ in words.told_verbs:
        return True
    if root.dep_ == "pobj":
        verb = head.head
        if head.lower_ == "to" and (verb.lemma_ in words.spoken_to_verbs or verb.lower_ == "according"):
            return True
        if head.lower_ == "with" and verb.lower_ in words.interview_nouns:
            return True
        return head.lower_ == "by" and verb.lemma_ in words.reporting_verbs
    return root.dep_ == "nsubj" and head.lemma_ in words.reporting_verbs


class NonActorWords(WordLists):
    """The word lists of data/nonactors.yaml, in lower case."""

    byline_openers: Words
    credit_words: Words
    platforms: Words
    vessel_nouns: Words
    told_verbs: Words
    spoken_to_verbs: Words
    interview_nouns: Words
    reporting_verbs: Words
    non_agent_heads: Words


@cache
def vocabulary() -> NonActorWords:
    """The word lists of data/nonactors.yaml, loaded once."""
    return load_words("nonactors", NonActorWords)


def is_media_name(span: Span) -> bool:
    """A news organization by its name ("Valley News") or a noun before it ("the newspaper X")."""
    words = [word.lower() for word in _WORD.findall(span.text)]
    if len(words) >= 2 and (words[-1] in MEDIA_NAME_WORDS or tuple(words[-2:]) in MEDIA_NAME_PAIRS):
        return True
    return span.start > 0 and span.doc[span.start - 1].lower_ in MEDIA_NOUNS


def is_byline(span: Span, paragraphs: Paragraphs) -> bool:
    """A name after "Filed by" / "Reporting by" / "By" / "Reporting:" at the start of a line, or anywhere in
    a line of credits: "Reporting by A and B; Writing by C"."""
    paragraph = paragraphs.at(span.start_char)
    if paragraph is None or not paragraph.start <= span.start_char < paragraph.end:
        return False
    text = doc_text(span.doc)
    if _credits_line(text[paragraph.start : paragraph.end]):
        return True
    before = _cue_words(text, paragraph.start, span.start_char)
    if not before:
        return False
    return before[-1] == "by" or (len(before) == 1 and before[0].endswith(":"))


def _credits_line(line: str) -> bool:
    """A line of credits: it opens with a credit word and names people "by" it ("Editing by ...")."""
    words = _CREDIT_WORD.findall(line[:200].lower())
    return bool(words) and words[0] in vocabulary().byline_openers and "by" in words[:6]


def _cue_words(text: str, start: int, end: int) -> list[str] | None:
    """The lower-case words of text[start:end] when each is a byline cue, else None. Read from the
    end and stopped at the first other word, so that a long line is not read again for every name."""
    words: list[str] = []
    position = end
    while True:
        while position > start and text[position - 1].isspace():
            position -= 1
        if position == start:
            return words[::-1]
        word_end = position
        while position > start and not text[position - 1].isspace():
            position -= 1
        word = text[position:word_end].lower()
        if word.rstrip(":") not in BYLINE_CUES:
            return None
        words.append(word)


def _is_label_word(candidate: Candidate, paragraphs: Paragraphs) -> bool:
    """A single unknown capitalised word standing as a label: before a colon ("Methodology: ..."), in a
    heading, or opening a sentence without being a name that does something ("Hassan warned" stays)."""
    span = candidate.span
    if candidate.known is not None or len(span) != 1 or candidate.kind != "person":
        return False
    doc, token = span.doc, span[0]
    if (span.end < len(doc) and doc[span.end].text == ":") or paragraphs.is_heading(span.start_char):
        return True
    opens_sentence = span.start == sentence_of(span).start
    return opens_sentence and (token.pos_ != "PROPN" or token.dep_ not in _SUBJECT_DEPS)
