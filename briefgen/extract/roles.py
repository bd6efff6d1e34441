"""Role and affiliation of a person, read from a title before the name or an apposition after it."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from briefgen.extract.lexicon import RANKS
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import sentence_of

_ENTITY_STOP = {"ORG", "NORP", "GPE", "PERSON", "LOC", "FAC"}
_ORIGIN_ENTITIES = {"NORP", "GPE"}
_AFFILIATION_PREPS = {"of", "at", "with", "in"}
_CUT_PREPS = _AFFILIATION_PREPS | {"for"}
_APPOSITION_END = {",", ";", "—", "–", "(", ")", ".", ":"}
MAX_MODIFIERS = 3
_PLACE_PREPS = {"of", "in", "from"}


def _lexicon_end(tokens: list[Token], lexicon: set[tuple[str, ...]], longest: int) -> int:
    """Length of the longest lexicon phrase that `tokens` ends with (0 if none)."""
    words = [token.lower_ for token in tokens]
    for size in range(min(longest, len(words)), 0, -1):
        if tuple(words[-size:]) in lexicon:
            return size
    return 0


def follows_role(name: Span, lexicon: set[tuple[str, ...]], longest: int) -> bool:
    """True for a name after a role and "of"/"in"/"from": the place in "the mayor of X"."""
    doc, position = name.doc, name.start - 1
    if position >= 0 and doc[position].lower_ == "the":
        position -= 1
    if position < 1 or doc[position].lower_ not in _PLACE_PREPS:
        return False
    window = list(doc[max(0, position - longest) : position])
    return bool(_lexicon_end(window, lexicon, longest))


def title_before(name: Span, lexicon: set[tuple[str, ...]], longest: int) -> tuple[str | None, str | None]:
    """(role, affiliation text) from a title right before a name: "KRG Finance Minister Omar Haddad"."""
    doc, sentence_start = name.doc, sentence_of(name).start
    end = name.start
    while end > sentence_start and doc[end - 1].lower_ in RANKS:
        end -= 1
    window = list(doc[max(sentence_start, end - longest) : end])
    size = _lexicon_end(window, lexicon, longest)
    if not size:
        return None, None
    start = end - size
    for _ in range(MAX_MODIFIERS):
        token = doc[start - 1] if start > sentence_start else None
        if token is None or token.pos_ not in ("ADJ", "NOUN", "PROPN") or token.ent_type_ in _ENTITY_STOP:
            break
        start -= 1
    role = doc[start:end].text.lower()
    return role, _affiliation_before(doc, start, sentence_start)


def _affiliation_before(doc: Doc | Span, start: int, sentence_start: int) -> str | None:
    """An organization right before a title: "KRG Interior Minister", "Government (KRG) Interior Minister"."""
    index = start - 1
    if index >= sentence_start + 2 and doc[index].text == ")" and doc[index - 2].text == "(":
        index -= 3
    if index < sentence_start or doc[index].ent_type_ != "ORG":
        return None
    first = index
    while first > sentence_start and doc[first - 1].ent_type_ == "ORG" and doc[first].ent_iob_ != "B":
        first -= 1
    return doc[first : index + 1].text


def apposition_after(
    name: Span, lexicon: set[tuple[str, ...]], longest: int
) -> tuple[str | None, str | None]:
    """(role, affiliation) from an apposition: "X, a member of Y," / "X, commander of the Y (Z),"."""
    doc, sentence_end = name.doc, sentence_of(name).end
    position = name.end
    if position >= sentence_end or doc[position].text != ",":
        return None, None
    position += 1
    if position < sentence_end and doc[position].lower_ in ("a", "an", "the"):
        position += 1
    phrase: list[Token] = []
    while position < sentence_end and doc[position].text not in _APPOSITION_END:
        if doc[position].pos_ in ("VERB", "AUX") and doc[position].lower_ not in ("led",):
            break
        phrase.append(doc[position])
        position += 1
    return _split_apposition(phrase, lexicon, longest)


def _split_apposition(
    phrase: list[Token], lexicon: set[tuple[str, ...]], longest: int
) -> tuple[str | None, str | None]:
    cuts = [i for i, token in enumerate(phrase) if token.lower_ in _CUT_PREPS] + [len(phrase)]
    best = None
    for cut in cuts:
        if cut and _lexicon_end(phrase[:cut], lexicon, longest):
            best = cut
    if best is None or best > 6:
        return None, None
    role = role_text(phrase[:best])
    rest = phrase[best + 1 :] if best < len(phrase) and phrase[best].lower_ in _AFFILIATION_PREPS else []
    return role, _affiliation_text(rest)


def role_text(tokens: list[Token]) -> str | None:
    """A role's words as written ("co-chair", not "co - chair"), lower case, without nationality or
    place modifiers ("a Turkish commander" -> "commander")."""
    runs: list[list[Token]] = [[]]
    for token in tokens:
        if token.ent_type_ in _ORIGIN_ENTITIES:
            runs.append([])
        else:
            runs[-1].append(token)
    text = doc_text(tokens[0].doc) if tokens else ""
    pieces = [text[run[0].idx : run[-1].idx + len(run[-1].text)] for run in runs if run]
    return " ".join(pieces).lower() or None


def _affiliation_text(tokens: list[Token]) -> str | None:
    """The organization named in the rest of an apposition; the whole phrase when possessive."""
    while tokens and tokens[0].pos_ == "DET":
        tokens = tokens[1:]
    if not tokens:
        return None
    orgs = [i for i, token in enumerate(tokens) if token.ent_type_ == "ORG"]
    possessive = any(token.tag_ == "POS" for token in tokens)
    if orgs and not possessive:
        first = orgs[0]
        last = first
        while (
            last + 1 < len(tokens)
            and tokens[last + 1].ent_type_ == "ORG"
            and tokens[last + 1].ent_iob_ == "I"
        ):
            last += 1
        tokens = tokens[first : last + 1]
    return doc_text(tokens[0].doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
