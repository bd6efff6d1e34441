"""Tactics: gazetteer tactic names and aliases matched in text."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from briefgen.config import Gazetteer
from briefgen.extract.known import slugify
from briefgen.facts import Tactic


class TacticMatcher:
    """Case-insensitive phrase matching, except all-caps aliases (IED), which match exactly."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.names: dict[str, str] = {}
        for tactic in gazetteer.tactics:
            key = slugify(tactic.name)
            self.names[key] = tactic.name
            for phrase in dict.fromkeys((tactic.name, *tactic.aliases)):
                matcher = self.exact if phrase.isupper() else self.lower
                matcher.add(key, [nlp.make_doc(phrase)])

    def find(self, doc: Doc, doc_id: str) -> list[Tactic]:
        """Every tactic mention, longest match first where matches overlap."""
        matches = self.lower(doc, as_spans=True) + self.exact(doc, as_spans=True)
        taken: set[int] = set()
        tactics = []
        for span in sorted(matches, key=lambda span: (-len(span), span.start)):
            if taken.intersection(range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            tactics.append(
                Tactic(
                    id=span.label_,
                    name=self.names[span.label_],
                    doc=doc_id,
                    start=span.start_char,
                    end=span.end_char,
                )
            )
        return sorted(tactics, key=lambda tactic: tactic.start)
