"""Quotes: direct quotations with their speaker, and reported claims ("X warned that ...").

A speaker is found, in order: a cue verb after the quote ("..., he said"), a cue
verb before it in the same sentence ("X said ..."), "according to X" in its
sentence, the subject of the verb a partial quote hangs from ("X declared an
"all-out war""), the speaker of the quote before it in the same or the previous
paragraph, the last person named earlier in the paragraph, or in the previous
paragraph when it ends with a colon. Pronouns and descriptions ("he", "it", "the
ministry", "the statement", "the official") resolve as speakers.py says.
A quotation that is only a name ("Erik", "Israeli") is no quote.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span, Token

from briefgen.extract.index import EntityIndex
from briefgen.extract.lexicon import (
    ADDRESSEE_CUES,
    CLAUSE_ONLY_CUES,
    CONJUNCTIONS,
    CONTENT_OBJECT_CUES,
    CUE_VERBS,
    DIRECTIVE_CUES,
    DISPUTED_CUES,
    PARTICLE_ONLY_CUES,
    PHRASAL_CUES,
    SOURCE_NOUNS,
)
from briefgen.extract.offsets import Intervals, doc_text
from briefgen.extract.paragraphs import Paragraphs, sentence_of
from briefgen.extract.speakers import Resolver, description, is_subject, speaker_words
from briefgen.facts import Quote

_NAME_ENTITIES = {"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC"}
MAX_NAME_QUOTE = 3  # words of a quotation that may be a quoted name
MAX_HEAD_STEPS = 12  # heads climbed from a partial quote to the verb it hangs from
QUOTE_MARKS = "“”\"‘’'"
SINGLE_OPEN = re.compile(r"(?<![\w'’])['‘](?=[^\W\d_])")
SINGLE_CLOSE = re.compile(r"(?<=[^\s'‘’])['’](?![^\W_])")
PLURAL_POSSESSIVE = re.compile(r"\s[a-z]")
MAX_SINGLE = 400  # characters of a single quotation
ACCORDING_NEAR = re.compile(r"\b[Aa]ccording to ([^,.;“”\"]{2,80})")
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_OBJECT_DEPS = {"dobj", "dative"}
# Children that are not part of the name of a subject: "X, who doubts ..., said".
_CLAUSE_CHILD_DEPS = {"relcl", "acl", "advcl", "ccomp", "parataxis", "xcomp"}
# Prepositions that name members of a group subject, not the subject: "officials, including X, said".
_MEMBER_PREPS = {"including", "like", "such", "among", "besides", "alongside", "except"}
ACCORDING = re.compile(r"\b[Aa]ccording to ([^,.;]{2,80}),\s*([^.;]+)")
RELATIVE_OPENING = re.compile(r"(?:who|whom|whose|which)\b", re.I)
# "A happened, according to X." The claim is the sentence up to the comma.
ACCORDING_AFTER = re.compile(r"(?:^|(?<=[.;!?]\s)|(?<=\n))\s*([^.;!?\n]+?),\s*according to ([^,.;]{2,80})(?=[.;])")
DISPUTE_MARKERS = re.compile(
    r"\b(?:unverified|unconfirmed|disputed|politically charged|rather than established fact|allegedly"
    r"|could not be (?:independently )?verified|without evidence)\b",
    re.I,
)
AFTER_WINDOW = 12  # words from a quote's end to its cue: "...," one diplomatic source in the region said
MIN_CLAIM_TOKENS = 3


class QuoteFinder:
    """Finds the quotes of one parsed document."""

    def __init__(self, doc: Doc, doc_id: str, index: EntityIndex, paragraphs: Paragraphs) -> None:
        self.doc, self.doc_id, self.index, self.paragraphs = doc, doc_id, index, paragraphs
        self.text = doc_text(doc)
        self._token_starts = [token.idx for token in doc]
        self.regions = quote_regions(self.text, paragraphs)
        self._quoted = Intervals(self.regions)
        self.resolver = Resolver(index, self._token, self._in_region)
        # the last quote's paragraph, end and speaker
        self._previous: tuple[int, int, tuple[str | None, str, str | None]] | None = None

    def find(self) -> list[Quote]:
        """Direct quotes then reported claims, with disputed marks applied."""
        quotes = once([quote for start, end in self.regions if (quote := self._direct(start, end))])
        quotes += self._claims()
        disputed = Intervals(
            (p.start, p.end) for p in self.paragraphs.items if DISPUTE_MARKERS.search(self.text, p.start, p.end)
        )
        for quote in quotes:
            if disputed.holds(quote.start):
                quote.disputed = True
        return sorted(quotes, key=lambda quote: quote.start)

    def _token(self, offset: int) -> Token:
        return self.doc[max(bisect.bisect_right(self._token_starts, offset) - 1, 0)]

    def _direct(self, start: int, end: int) -> Quote | None:
        inner_start, inner_end = _strip(self.text, start, end)
        if inner_end - inner_start < 2 or self._is_name(inner_start, inner_end):
            return None
        speaker = (
            self._speaker_after(end)
            or self._speaker_before(start)
            or self._according_near(start, end)
            or self._governing(start)
            or self._continued(start)
            or self._speaker_nearby(start)
        )
        if speaker:
            self._previous = (self.paragraphs.index(start), end, speaker)
        actor_id, name, cue = speaker if speaker else (None, None, None)
        return Quote(
            id=f"quote-{self.doc_id}-{inner_start}",
            speaker=actor_id,
            speaker_name=name,
            text=self.text[inner_start:inner_end],
            doc=self.doc_id,
            start=inner_start,
            end=inner_end,
            cue=cue,
            direct=True,
        )

    def _is_name(self, start: int, end: int) -> bool:
        """A quoted name, not speech: "Michael "Erik" K.", "attack "Israeli" ships"."""
        first, last = self._token(start), self._token(end - 1)
        tokens = [t for t in self.doc[first.i : last.i + 1] if not t.is_punct]
        return 0 < len(tokens) <= MAX_NAME_QUOTE and all(
            t.ent_type_ in _NAME_ENTITIES or t.pos_ == "PROPN" for t in tokens
        )

    def _according_near(self, start: int, end: int) -> tuple[str | None, str, str] | None:
        """The source of "according to X" in the sentences the quote starts and ends in."""
        first, last = sentence_of(self._token(start)), sentence_of(self._token(max(end - 1, start)))
        for match in ACCORDING_NEAR.finditer(self.text, first.start_char, last.end_char):
            if self._in_region(match.start()):
                continue
            found = self.index.actor_at(match.start(1), match.end(1))
            if found:
                return found[0], found[1], "according to"
            name = re.sub(r"^(?:an?|the|one)\s+", "", match[1].strip(), flags=re.I)
            return None, name, "according to"
        return None

    def _governing(self, start: int) -> tuple[str | None, str, str] | None:
        """The actor subject of the verb outside the quote that a partial quote hangs from."""
        token = self._token(start)
        for _ in range(MAX_HEAD_STEPS):
            if token.head.i == token.i:
                break
            token = token.head
            if token.pos_ in ("VERB", "AUX") and not self._in_region(token.idx):
                subject = self._actor_subject(token)
                if subject is not None and subject[0] is not None:
                    return subject[0], subject[1], token.lemma_
        return None

    def _continued(self, start: int) -> tuple[str | None, str, str | None] | None:
        """The speaker of the quote before, when it is in this paragraph or the one before and no
        person is named in between: a quote that runs on over sentences or paragraphs names its
        speaker once."""
        if self._previous is None:
            return None
        paragraph, end, speaker = self._previous
        if not 0 <= self.paragraphs.index(start) - paragraph <= 1:
            return None
        for _start, span_end, actor_id, _text in self.index.mentions_from(end, start):
            person = self.index.actors[actor_id].kind == "person"
            if person and actor_id != speaker[0] and is_subject(self._token(span_end - 1)):
                return None  # "X, the spokesman, confirmed the attack. "...": X speaks now
        return speaker

    def _speaker_after(self, end: int) -> tuple[str | None, str, str] | None:
        first = self._token(end)
        sentence_end = sentence_of(first).end
        for token in self.doc[first.i : min(first.i + AFTER_WINDOW, sentence_end)]:
            if cue_of(token) and not self._in_region(token.idx):
                return self._subject_of(token, after=True)
        return None

    def _speaker_before(self, start: int) -> tuple[str | None, str, str] | None:
        token = self._token(start)
        sentence = sentence_of(token)
        verbs = [t for t in self.doc[sentence.start : token.i] if cue_of(t) and not self._in_region(t.idx)]
        for verb in reversed(verbs):
            if found := self._subject_of(verb):
                return found
        return None

    def _speaker_nearby(self, start: int) -> tuple[str | None, str, str] | None:
        index = self.paragraphs.index(start)
        paragraph = self.paragraphs.items[index]
        found = self._person_between(paragraph.start, start)
        if found is None and index > 0:
            previous = self.paragraphs.items[index - 1]
            if _ends_with_colon(self.text, previous.start, previous.end):
                found = self._person_between(previous.start, previous.end)
            elif not self.text[paragraph.start : start].strip():
                return self._last_speaker(previous.start, previous.end)
        return (found[0], found[1], None) if found else None  # type: ignore[return-value]

    def _last_speaker(self, start: int, end: int) -> tuple[str | None, str, str] | None:
        """The actor who last speaks in [start, end) outside quotations: a paragraph that opens with a
        quote and names no speaker goes on with the previous paragraph's."""
        first, last = self._token(start), self._token(max(end - 1, start))
        for token in reversed(self.doc[first.i : last.i + 1]):
            if cue_of(token) and not self._in_region(token.idx):
                found = self._subject_of(token)
                if found is not None and found[0] is not None:
                    return found
        return None

    def _person_between(self, start: int, end: int) -> tuple[str, str] | None:
        """The last person named in [start, end) outside quotations."""
        for span_start, _span_end, actor_id, text in self.index.mentions_back(start, end):
            if not self._in_region(span_start) and self.index.actors[actor_id].kind == "person":
                return actor_id, text
        return None

    def _in_region(self, offset: int) -> bool:
        return self._quoted.holds(offset)

    def _subject_of(self, verb: Token, after: bool = False) -> tuple[str | None, str, str] | None:
        """The (actor id, name, cue) who does `verb`: its subject, or a name right after it."""
        subject = self._actor_subject(verb)
        cue = cue_of(verb) or verb.lemma_
        if subject is not None:
            return subject[0], subject[1], cue
        if after and verb.i + 1 < len(self.doc):
            found = self.index.actor_at(
                verb.idx + len(verb.text) + 1, verb.nbor().idx + len(verb.nbor().text)
            )
            if found:
                return found[0], found[1], cue
        return None

    def _actor_subject(self, verb: Token) -> tuple[str | None, str] | None:
        """(actor id or None, name) of who does `verb`; a person named in the subject wins over an ORG."""
        subject = self._subject(verb)
        if subject is None:
            return None
        words = speaker_words()
        tokens = subject_tokens(subject)
        named = self.index.mentions_from(tokens[0].idx, tokens[-1].idx + 1)
        resolved = None if named else self.resolver.resolve(subject)
        if resolved is not None or subject.lower_ in words.person_pronouns | words.organization_pronouns:
            return resolved
        return self._speaker_in_subject(subject, verb)

    def _subject(self, verb: Token) -> Token | None:
        """The verb's subject outside quotations ("“The plan failed,” X said": X, not "plan"); the
        object of an active "quote" ("the agency quoted X as saying")."""
        subjects = [child for child in verb.children if child.dep_ in _SUBJECT_DEPS and not self._in_region(child.idx)]
        if verb.lemma_ == "quote" and not any(child.dep_ == "nsubjpass" for child in subjects):
            quoted = next((child for child in verb.children if child.dep_ == "dobj"), None)
            if quoted is not None:
                return quoted
        if subjects:
            return min(subjects, key=lambda child: abs(child.i - verb.i))
        return subject_of(verb)

    def _speaker_in_subject(self, subject: Token, verb: Token) -> tuple[str | None, str]:
        """A person named in the subject ("Province (P) Interior Minister X", "the head of Y, X"), else an
        organization that is itself the subject, else (None, the subject's words)."""
        sentence = sentence_of(verb)
        if sentence.start <= subject.i < sentence.end:
            tokens = [token for token in subject_tokens(subject) if sentence.start <= token.i < sentence.end]
        else:  # the parser took a subject across a line break: read the words before the verb
            tokens = list(self.doc[sentence.start : verb.i]) or [verb]
            subject = tokens[-1]
        starts = {token.idx for token in tokens}
        mentions = [m for m in self.index.mentions_from(tokens[0].idx, tokens[-1].idx + 1) if m[0] in starts]
        for _start, end, actor_id, text in mentions:
            possessive = self.text.startswith("'s", end) or self.text.startswith("’s", end)
            if self.index.actors[actor_id].kind == "person" and not possessive:
                return actor_id, text
        for start, end, actor_id, text in mentions:
            if start <= subject.idx < end:
                return actor_id, text
        noun = subject.lemma_.lower()
        # "reports from X", "coalition reporting", "the UN mission in Y"
        if (noun in SOURCE_NOUNS or noun in speaker_words().organization_nouns) and mentions:
            return mentions[0][2], mentions[0][3]
        if noun in speaker_words().channel_nouns:  # "an account linked to X": X, named anywhere in it
            owner = self.index.mentions_from(subject.left_edge.idx, subject.right_edge.idx + 1)
            if owner:
                return owner[0][2], owner[0][3]
        return None, description(subject)

    def _claims(self) -> list[Quote]:
        claims = []
        for token in self.doc:
            cue = cue_of(token)
            if cue is not None and not self._in_region(token.idx):
                claims += self._claims_of(token, cue)
        claims += self._according()
        return claims

    def _claims_of(self, verb: Token, cue: str) -> list[Quote]:
        """What one cue verb reports: its claim and any further that-clause ("... and that B")."""
        subject = self._claim_speaker(verb)
        if subject is None:
            return []
        spans = claim_spans(verb, cue)
        return [claim for start, end in spans if (claim := self._claim(verb, cue, subject, start, end))]

    def _claim_speaker(self, verb: Token) -> tuple[str | None, str] | None:
        """Who makes a claim: a named actor, an unnamed source ("officials"), a capital speaking for
        its government, or "they" resolved to one of those; None when it is none of them."""
        subject = self._actor_subject(verb)
        if subject is None or subject[0] is not None:
            return subject
        head = subject_of(verb)
        if head is not None and head.lower_ == "they":
            return self._they(head)
        return subject if _unnamed_source(verb) else None

    def _they(self, pronoun: Token) -> tuple[str | None, str] | None:
        """The group "they" refers to: the nearest earlier subject, in this sentence or the previous
        one, that names an actor or a kind of source."""
        sentence = sentence_of(pronoun)
        start = self.doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
        subjects = [t for t in self.doc[start : pronoun.i] if t.dep_ in _SUBJECT_DEPS and t.lower_ != "they"]
        for subject in reversed(subjects):
            words = subject_tokens(subject)
            mentions = self.index.mentions_from(words[0].idx, words[-1].idx + 1)
            if mentions:
                return mentions[0][2], mentions[0][3]
            if any(token.lemma_.lower() in SOURCE_NOUNS for token in words):
                return None, self.doc[words[0].i : words[-1].i + 1].text
        return None

    def _claim(self, verb: Token, cue: str, subject: tuple[str | None, str], start: int, end: int) -> Quote | None:
        span = _trim(self.doc[start:end])
        if (
            len(span) < MIN_CLAIM_TOKENS
            or any(self._in_region(t.idx) for t in (span[0], span[-1]))
            or self._quoted.starts_within(span.start_char, span.end_char)
        ):
            return None
        return Quote(
            id=f"quote-{self.doc_id}-{span.start_char}",
            speaker=subject[0],
            speaker_name=subject[1],
            text=span.text,
            doc=self.doc_id,
            start=span.start_char,
            end=span.end_char,
            cue=cue,
            direct=False,
            disputed=verb.lemma_ in DISPUTED_CUES,
        )

    def _according(self) -> list[Quote]:
        found_claims = [(match, 1, 2) for match in ACCORDING.finditer(self.text)]
        found_claims += [(match, 2, 1) for match in ACCORDING_AFTER.finditer(self.text)]
        claims = []
        for match, source_group, claim_group in found_claims:
            found = self.index.actor_at(match.start(source_group), match.end(source_group))
            start, end = match.span(claim_group)
            if self._quoted.starts_within(start, end) or RELATIVE_OPENING.match(match[claim_group]):
                continue  # "according to sources, who asked not to be named": the source described, no claim
            claims.append(
                Quote(
                    id=f"quote-{self.doc_id}-{start}",
                    speaker=found[0] if found else None,
                    speaker_name=found[1] if found else match[source_group],
                    text=self.text[start:end],
                    doc=self.doc_id,
                    start=start,
                    end=end,
                    cue="according to",
                    direct=False,
                )
            )
        return claims


def quote_regions(text: str, paragraphs: Paragraphs) -> list[tuple[int, int]]:
    """(start, end) of each quotation including its marks, in order: double quotation marks (see
    _double_regions), then single ones outside them ('united', ‘grave concern’)."""
    double = _double_regions(text, paragraphs)
    taken = Intervals(double)
    single = [
        region for paragraph in paragraphs.items
        for region in _single_regions(text, paragraph.start, paragraph.end, taken)
    ]
    return sorted(double + single)


def _double_regions(text: str, paragraphs: Paragraphs) -> list[tuple[int, int]]:
    """Double quotations; an unclosed one runs to the paragraph end, or to a new opening mark after a
    sentence's end (the writer left the first one open)."""
    regions = []
    for paragraph in paragraphs.items:
        opened: int | None = None
        for position in range(paragraph.start, paragraph.end):
            char = text[position]
            if char == "“" and opened is not None and _after_sentence_end(text, opened, position):
                regions.append((opened, position))
                opened = position
            elif char == "“" or (char == '"' and opened is None):
                opened = position if opened is None or char == '"' else opened
            elif (char == "”" or char == '"') and opened is not None:
                regions.append((opened, position + 1))
                opened = None
        if opened is not None:
            regions.append((opened, paragraph.end))
    return regions


def _single_regions(text: str, start: int, end: int, taken: Intervals) -> list[tuple[int, int]]:
    """Single quotations in [start, end) outside double ones: an opening mark before a word and not
    after one, closed by a mark after a word and before none, within MAX_SINGLE characters; never an
    apostrophe ("don't", "Iraq’s") nor a plural possessive ("the soldiers' families")."""
    regions: list[tuple[int, int]] = []
    for match in SINGLE_OPEN.finditer(text, start, end):
        if (regions and match.start() < regions[-1][1]) or taken.holds(match.start()):
            continue
        close = _single_close(text, match.end(), min(end, match.end() + MAX_SINGLE))
        if close is not None and not taken.starts_within(match.start(), close):
            regions.append((match.start(), close + 1))
    return regions


def _single_close(text: str, start: int, end: int) -> int | None:
    for match in SINGLE_CLOSE.finditer(text, start, end):
        at = match.start()
        if text[at - 1] == "s" and PLURAL_POSSESSIVE.match(text, at + 1) and " " in text[start:at]:
            continue  # "'The soldiers' families ...'"; a one-word quote ('reckless') ends here
        return at
    return None


def _after_sentence_end(text: str, start: int, position: int) -> bool:
    """Whether text[start:position] ends with a full stop, "!" or "?" and a space."""
    before = text[start:position].rstrip()
    return len(before) < position - start and before[-1:] in (".", "!", "?")


def _ends_with_colon(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends with a colon before any trailing whitespace."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end > start and text[end - 1] == ":"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The quoted words without marks, spaces, or a trailing comma."""
    while start < end and text[start] in QUOTE_MARKS + " ":
        start += 1
    while end > start and text[end - 1] in QUOTE_MARKS + " ,":
        end -= 1
    return start, end


def once(quotes: list[Quote]) -> list[Quote]:
    """Direct quotes without repeats: the same words quoted again in a headline, caption or pull quote
    are one quote (the first with a speaker is kept)."""
    kept: dict[str, Quote] = {}
    for quote in quotes:
        key = " ".join(re.findall(r"\w+", quote.text.lower()))
        if key not in kept or (kept[key].speaker_name is None and quote.speaker_name is not None):
            kept[key] = quote
    return list(kept.values())


def _trim(span: Span) -> Span:
    """Without leading punctuation or spaces, nor trailing ones or a dangling conjunction ("..., but")."""
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_punct or span.doc[start].is_space):
        start += 1
    while end > start and (
        span.doc[end - 1].is_punct or span.doc[end - 1].is_space or span.doc[end - 1].lower_ in CONJUNCTIONS
    ) and not _closes(span.doc[start:end]):
        end -= 1
    return span.doc[start:end] if end > start else span


_BRACKETS = {")": "(", "]": "["}


def _closes(span: Span) -> bool:
    """Whether the span ends with a bracket it opened ("... Government (KRG)"): kept, not trimmed."""
    opener = _BRACKETS.get(span[-1].text) if len(span) else None
    return opener is not None and any(token.text == opener for token in span[:-1])


def cue_of(token: Token) -> str | None:
    """The cue a verb gives ("say", "point out", "call on"), or None when it attributes no speech."""
    if token.pos_ != "VERB" or token.lemma_ not in CUE_VERBS | speaker_words().more_cues:
        return None
    for child in token.children:
        if child.dep_ in ("prt", "prep") and child.i > token.i:
            phrasal = PHRASAL_CUES.get((token.lemma_, child.lower_))
            if phrasal:
                return phrasal
    return None if token.lemma_ in PARTICLE_ONLY_CUES else token.lemma_


def subject_of(verb: Token) -> Token | None:
    """The subject of `verb`, or of the verb it depends on ("..., stressing X": the stresser)."""
    subject = next((child for child in verb.children if child.dep_ in _SUBJECT_DEPS), None)
    if subject is None and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.i != verb.i:
        return subject_of(_governing_verb(verb))
    return subject


def _unnamed_source(verb: Token) -> bool:
    """Whether the verb's subject is a kind of source ("officials", "security sources", "experts"),
    or a capital or country speaking for its government ("Baghdad insists that ...")."""
    subject = subject_of(verb)
    return subject is not None and (
        subject.ent_type_ == "GPE" or any(t.lemma_.lower() in SOURCE_NOUNS for t in (subject, *subject.conjuncts))
    )



def subject_tokens(subject: Token) -> list[Token]:
    """The subject's words without the clauses hanging from it ("X, who doubts ..., said") or the
    members it names ("officials, including X, ...")."""
    found = [subject]
    for child in subject.children:
        if child.dep_ not in _CLAUSE_CHILD_DEPS and not (child.dep_ == "prep" and child.lower_ in _MEMBER_PREPS):
            found += subject_tokens(child)
    return sorted(found, key=lambda token: token.i)


def _governing_verb(verb: Token) -> Token:
    """The verb whose subject `verb` shares; "X warned that A, and urged B" is often parsed with
    "urged" joined to A's verb, but its subject is X's."""
    head = verb.head
    if verb.dep_ == "conj" and head.dep_ == "ccomp" and cue_of(head.head):
        return head.head
    return head


def claim_spans(verb: Token, cue: str) -> list[tuple[int, int]]:
    """Token bounds [start, end) of each claim a cue verb reports: its clause, object or complement
    (see claim_bounds), and each further that-clause joined to it ("argued A and that B")."""
    bounds = claim_bounds(verb, cue)
    if bounds is None:
        return []
    clause = _reported_clause(verb, cue)
    further = [(_clause_start(c), c.right_edge.i + 1) for c in _that_conjuncts(clause)] if clause else []
    return [bounds, *further]


def _reported_clause(verb: Token, cue: str) -> Token | None:
    after = [child for child in verb.children if child.i > verb.i]
    target = _object(verb, after)
    clause = next((child for child in after if child.dep_ == "ccomp"), None) or _content_clause(after)
    if clause is not None and not (cue in CONTENT_OBJECT_CUES and target is not None and target.i < clause.i):
        return clause
    return None


def _that_conjuncts(clause: Token) -> list[Token]:
    """Clauses joined to `clause` that bring their own "that": separate claims."""
    return [
        child for child in clause.children
        if child.dep_ == "conj" and child.i > clause.i
        and any(grandchild.dep_ == "mark" and grandchild.lower_ == "that" for grandchild in child.children)
    ]


def claim_bounds(verb: Token, cue: str) -> tuple[int, int] | None:
    """Token bounds [start, end) of what a cue verb reports, or None.

    The that-clause for say/warn/tell ("... that X", without "that" or words between the verb and
    the clause); object plus infinitive for urge/ask/call on ("the coalition to act"); the object
    for other cues, and before a clause for voice/stress ... ("stressed the need to ..."). The
    addressee of "told" is never the claim.
    """
    after = [child for child in verb.children if child.i > verb.i]
    target = _object(verb, after)
    clause = next((child for child in after if child.dep_ == "ccomp"), None) or _content_clause(after)
    if clause is not None and not (cue in CONTENT_OBJECT_CUES and target is not None and target.i < clause.i):
        return _clause_start(clause), _clause_end(clause)
    if (target is None or cue in ADDRESSEE_CUES) and (before := _claim_before(verb)) is not None:
        return before
    infinitive = next((child for child in after if child.dep_ == "xcomp"), None)
    if cue in DIRECTIVE_CUES or cue in ADDRESSEE_CUES:
        if target is None or infinitive is None:
            return None
        return target.left_edge.i, infinitive.right_edge.i + 1
    complement = target or infinitive or next((child for child in after if child.dep_ == "oprd"), None)
    if complement is None or cue in CLAUSE_ONLY_CUES or cue in speaker_words().more_cues or _negated(verb):
        return None  # "have never acknowledged X's presence" says nothing of X
    return complement.left_edge.i, complement.right_edge.i + 1


def _negated(verb: Token) -> bool:
    """ "did not confirm", "never acknowledged": the verb carries a negation."""
    return any(child.dep_ == "neg" for child in verb.children)


def _claim_before(verb: Token) -> tuple[int, int] | None:
    """The claim that comes before its cue: "A happened, officials said" (the parser makes A the cue's
    clausal complement, or the cue a parenthetical of A)."""
    clause = next((child for child in verb.children if child.dep_ == "ccomp" and child.i < verb.i), None)
    if clause is not None:
        return clause.left_edge.i, clause.right_edge.i + 1
    if verb.dep_ == "parataxis" and verb.head.i < verb.i:
        return verb.head.left_edge.i, verb.left_edge.i
    if verb.dep_ == "parataxis":  # "Without them, they said, ISIS is unlikely to ..."
        return verb.right_edge.i + 1, verb.head.right_edge.i + 1
    return None


def _content_clause(after: list[Token]) -> Token | None:
    """The that-clause of "said in a statement that X", which the parser hangs on "statement"."""
    for prep in (child for child in after if child.dep_ == "prep"):
        for noun in (child for child in prep.children if child.dep_ == "pobj"):
            for clause in noun.children:
                if clause.dep_ in ("acl", "ccomp") and any(
                    child.dep_ == "mark" and child.lower_ == "that" for child in clause.children
                ):
                    return clause
    return None


def _object(verb: Token, after: list[Token]) -> Token | None:
    """The verb's direct object, or the object of its phrasal preposition ("called on X", "called for X")."""
    direct = next((child for child in after if child.dep_ in _OBJECT_DEPS), None)
    if direct is not None:
        return direct
    for child in after:
        if child.dep_ == "prep" and (verb.lemma_, child.lower_) in PHRASAL_CUES:
            return next((grandchild for grandchild in child.children if grandchild.dep_ in ("pobj", "pcomp")), None)
    return None


def _clause_start(clause: Token) -> int:
    """The first word of a that-clause, after "that" and punctuation."""
    start = clause.left_edge.i
    doc = clause.doc
    while start < clause.i and (doc[start].lower_ == "that" or doc[start].is_punct):
        start += 1
    return start


def _clause_end(clause: Token) -> int:
    """The end of a that-clause, before a coordinated cue verb with no subject of its own
    ("warned that A, and urged B": B is a second claim, not part of A)."""
    end = clause.right_edge.i + 1
    for child in clause.children:
        if child.dep_ == "conj" and child.i > clause.i and cue_of(child) and not _has_subject(child):
            end = min(end, child.left_edge.i)
    for child in _that_conjuncts(clause):
        end = min(end, child.left_edge.i)
    return end


def _has_subject(verb: Token) -> bool:
    return any(child.dep_ in _SUBJECT_DEPS for child in verb.children)
