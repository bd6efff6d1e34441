"""Role and affiliation of a person, read from a title before the name ("Pentagon spokesman X",
"the UN envoy for Y, X"), an apposition or relative clause after it ("X, a commander from Y,",
"X, who heads Y,") or an "as" phrase ("X served as chief of Y"). Ranks and courtesy titles are no role
(data/roles.yaml); a nationality or organization named only in the title is the affiliation."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from spacy.tokens import Doc, Span, Token

from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import sentence_of
from briefgen.extract.rolewords import role_words

_ENTITY_STOP = {"ORG", "NORP", "GPE", "PERSON", "LOC", "FAC"}
_ORIGIN_ENTITIES = {"NORP", "GPE"}
_AFFILIATION_PREPS = {"of", "at", "with", "in", "for", "to", "from"}
_CUT_PREPS = _AFFILIATION_PREPS
_APPOSITION_END = {",", ";", "—", "–", "(", ")", ".", ":"}
_RELATIVE_PRONOUNS = {"who", "whom"}
_COPULAS = {"be", "become", "remain"}
# Participles that modify a title rather than start a clause: "commanding general", "so-called emir".
_MODIFIER_DEPS = {"amod", "compound", "punct", "advmod"}
MAX_MODIFIERS = 4
MAX_TITLE = 10  # words of a title before a comma and a name
MAX_PARENTHESIS = 8  # words of a parenthesis between a name and its apposition: "X (2nd L), minister of Y"
_PLACE_PREPS = {"of", "in", "from"}


def _lexicon_end(tokens: list[Token], lexicon: AbstractSet[tuple[str, ...]], longest: int) -> int:
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
    """(role, affiliation text) from a title right before a name: "KRG Finance Minister Omar Haddad",
    "Pentagon spokesman Maj. Gen. X" (role "spokesman", affiliation "Pentagon")."""
    doc, sentence_start = name.doc, sentence_of(name).start
    end = _before_ranks(doc, name.start, sentence_start, lexicon, longest)
    window = list(doc[max(sentence_start, end - longest) : end])
    size = _lexicon_end(window, lexicon, longest)
    if not size:
        return None, None
    start = end - size
    for _ in range(MAX_MODIFIERS):
        if start <= sentence_start or not _title_modifier(doc[start - 1]):
            break
        start -= 1
    role, origin = split_origin(list(doc[start:end]))
    return role, _affiliation_before(doc, start, sentence_start) or origin


def _title_modifier(token: Token) -> bool:
    """A word that belongs to a title before its head: "former", "deputy", "Syrian" (kept as the
    affiliation), not a name or an organization (that is the affiliation, read separately)."""
    if token.ent_type_ in _ORIGIN_ENTITIES:
        return True
    return token.pos_ in ("ADJ", "NOUN", "PROPN") and token.ent_type_ not in _ENTITY_STOP


def _before_ranks(doc: Doc, end: int, sentence_start: int, lexicon: set[tuple[str, ...]], longest: int) -> int:
    """Where a title ends before a name, past ranks and courtesy titles ("spokesman Maj. Gen. X",
    "Foreign Minister Sayyid X"); a longer title that ends with a rank word stays ("Attorney General")."""
    words = role_words()
    while end > sentence_start:
        window = list(doc[max(sentence_start, end - max(longest, words.longest_rank)) : end])
        rank = _lexicon_end(window, words.ranks, words.longest_rank)
        if rank and rank >= _lexicon_end(window, lexicon, longest):
            end -= rank
        elif doc[end - 1].lower_ in words.honorifics:
            end -= 1
        else:
            break
    return end


def _affiliation_before(doc: Doc | Span, start: int, sentence_start: int) -> str | None:
    """An organization right before a title: "KRG Interior Minister", "Government (KRG) Interior Minister"."""
    index = start - 1
    if index >= sentence_start + 2 and doc[index].text == ")" and doc[index - 2].text == "(":
        index -= 3
    if index > sentence_start and doc[index].tag_ == "POS":  # "Chad's interim president"
        index -= 1
        if doc[index].ent_type_ in _ORIGIN_ENTITIES:
            return doc[index].text if doc[index].ent_iob_ == "B" else _entity_text(doc, index, sentence_start)
    if index < sentence_start or doc[index].ent_type_ != "ORG":
        return None
    first = index
    while first > sentence_start and doc[first - 1].ent_type_ == "ORG" and doc[first].ent_iob_ != "B":
        first -= 1
    return doc[first : index + 1].text


def _entity_text(doc: Doc | Span, last: int, sentence_start: int) -> str:
    """The words of the entity that ends at token `last`."""
    first = last
    while first > sentence_start and doc[first].ent_iob_ == "I":
        first -= 1
    return doc[first : last + 1].text


def apposition_after(
    name: Span, lexicon: set[tuple[str, ...]], longest: int
) -> tuple[str | None, str | None]:
    """(role, affiliation) from an apposition: "X, a member of Y," / "X, commander of the Y (Z),",
    "X (left), minister of Y", "X, who heads Y,", "X, who is the envoy for Y,"."""
    doc, sentence_end = name.doc, sentence_of(name).end
    position = _after_parenthesis(doc, name.end, sentence_end)
    if position >= sentence_end or doc[position].text != ",":
        return None, None
    position += 1
    if position < sentence_end and doc[position].lower_ in _RELATIVE_PRONOUNS:
        position += 1
        if position < sentence_end and doc[position].lemma_ in role_words().role_verbs:
            return _role_verb(doc[position])
        if position >= sentence_end or doc[position].lemma_ not in _COPULAS:
            return None, None
        position += 1
    if position < sentence_end and doc[position].lower_ in ("a", "an", "the"):
        position += 1
    phrase: list[Token] = []
    while position < sentence_end and doc[position].text not in _APPOSITION_END:
        token = doc[position]
        if token.pos_ in ("VERB", "AUX") and token.lower_ != "led" and token.dep_ not in _MODIFIER_DEPS:
            break
        phrase.append(token)
        position += 1
    return _split_apposition(phrase, lexicon, longest)


def duty_after(name: Span, lexicon: set[tuple[str, ...]], longest: int) -> tuple[str | None, str | None]:
    """(role, affiliation) from a phrase of duty after a name: "X, responsible for security in Y,"
    gives that phrase as the role and the organization in it, if any, as the affiliation."""
    doc, sentence_end = name.doc, sentence_of(name).end
    position = _after_parenthesis(doc, name.end, sentence_end)
    if position >= sentence_end or doc[position].text != ",":
        return None, None
    end = position + 1
    while end < sentence_end and doc[end].text not in _APPOSITION_END and end - position <= MAX_TITLE:
        end += 1
    phrase = list(doc[position + 1 : end])
    words = tuple(token.lower_ for token in phrase)
    if end >= sentence_end or not any(words[: len(opening)] == opening for opening in role_words().role_adjectives):
        return None, None
    orgs = [token for token in phrase if token.ent_type_ == "ORG"]
    return (_text(phrase) or "").lower() or None, _affiliation_text(orgs) if orgs else None


def _after_parenthesis(doc: Doc, position: int, sentence_end: int) -> int:
    """The position after a short parenthesis that starts at `position` (a caption's "(2nd L)")."""
    if position >= sentence_end or doc[position].text != "(":
        return position
    for index in range(position + 1, min(position + MAX_PARENTHESIS, sentence_end)):
        if doc[index].text == ")":
            return index + 1
    return position


def _role_verb(verb: Token) -> tuple[str | None, str | None]:
    """(role, affiliation) from "who heads Y": the verb's role noun and its object."""
    role = role_words().role_verbs[verb.lemma_]
    target = next((child for child in verb.children if child.dep_ == "dobj"), None)
    if target is None:
        return role, None
    return role, _affiliation_text(list(target.doc[target.left_edge.i : target.right_edge.i + 1]))


def title_across_comma(
    name: Span, lexicon: set[tuple[str, ...]], longest: int
) -> tuple[str | None, str | None]:
    """(role, affiliation) from a title set off before a name: "the UN envoy for Yemen, X," /
    "said the ambassador to Iraq, X." The parser must join the name to the title (an apposition),
    so that "After meeting the president, X said" gives X no role."""
    doc, sentence = name.doc, sentence_of(name)
    comma = _before_ranks(doc, name.start, sentence.start, lexicon, longest) - 1  # "the army chief, Gen. X"
    if comma <= sentence.start or doc[comma].text != ",":
        return None, None
    start = comma
    while start > sentence.start and comma - start < MAX_TITLE and _title_word(doc[start - 1]):
        start -= 1
    while start < comma and doc[start].pos_ == "DET":
        start += 1
    head = name.root.head
    if start == comma or doc[start].pos_ == "ADP" or name.root.dep_ not in ("appos", "conj"):
        return None, None
    if not start <= head.i < comma:
        return None, None
    return _split_apposition(list(doc[start:comma]), lexicon, longest)


def _title_word(token: Token) -> bool:
    """A word a title before a comma may hold: not a clause's verb, a pronoun or a clause boundary."""
    if token.is_punct:
        return token.tag_ == "HYPH"
    if token.pos_ in ("VERB", "AUX"):
        return token.dep_ in _MODIFIER_DEPS
    return token.pos_ not in ("PRON", "CCONJ", "SCONJ")


def role_as(name: Span, lexicon: set[tuple[str, ...]], longest: int) -> tuple[str | None, str | None]:
    """(role, affiliation) from an "as" phrase of a verb the name is the subject of: "X served as
    chief of Y", "X, who acts as envoy to Y,"."""
    root = name.root
    verbs = [child for child in root.children if child.dep_ == "relcl"]
    if root.dep_ in ("nsubj", "nsubjpass"):
        verbs += [root.head, *root.head.conjuncts]
    for verb in verbs:
        if verb.lemma_ not in role_words().as_role_verbs:
            continue
        for prep in (child for child in verb.children if child.dep_ == "prep" and child.lower_ == "as"):
            target = next((child for child in prep.children if child.dep_ == "pobj"), None)
            if target is not None:
                tokens = [t for t in target.doc[target.left_edge.i : target.right_edge.i + 1] if t.pos_ != "DET"]
                return _split_apposition(tokens, lexicon, longest)
    return None, None


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
    owner, title = _possessor(phrase[:best])
    rest = phrase[best + 1 :] if best < len(phrase) and phrase[best].lower_ in _AFFILIATION_PREPS else []
    affiliation = _affiliation_text(rest)
    lead = _leading_organization(title) if affiliation is None else []
    role, origin = split_origin(title[len(lead) :])
    return role, affiliation or _text(lead) or _text(owner) or origin


def _possessor(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """(named possessor, title) of "the group's spokesman" / "Hamas's spokesman": the possessor only
    when it is a name (a common noun is dropped), the title after it."""
    marks = [i for i, token in enumerate(tokens) if token.tag_ == "POS"]
    if not marks or marks[-1] + 1 >= len(tokens):
        return [], tokens
    owner = [token for token in tokens[: marks[-1]] if token.pos_ != "DET"]
    return (owner if owner and all(token.ent_type_ for token in owner) else []), tokens[marks[-1] + 1 :]


def _leading_organization(tokens: list[Token]) -> list[Token]:
    """An organization's name that opens a title ("the RSF commander"): the affiliation, not the role."""
    lead = []
    for token in tokens[:-1]:
        if token.ent_type_ != "ORG":
            break
        lead.append(token)
    return lead


def _text(tokens: list[Token]) -> str | None:
    if not tokens:
        return None
    return doc_text(tokens[0].doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def split_origin(tokens: list[Token]) -> tuple[str | None, str | None]:
    """(role, origin): the role's words as written ("co-chair", not "co - chair"), lower case, without
    nationality or place modifiers, and those modifiers as written ("former Syrian leader" ->
    "former leader", "Syrian")."""
    runs: list[list[Token]] = [[]]
    origin: list[Token] = []
    for token in tokens:
        if token.ent_type_ in _ORIGIN_ENTITIES:
            runs.append([])
            origin.append(token)
        else:
            runs[-1].append(token)
    while origin and origin[-1].tag_ == "POS":  # "Mozambique's President"
        origin.pop()
    text = doc_text(tokens[0].doc) if tokens else ""
    pieces = [text[run[0].idx : run[-1].idx + len(run[-1].text)] for run in runs if run]
    return " ".join(pieces).lower() or None, _text(origin)


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
