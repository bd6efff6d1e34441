"""The word lists of data/roles.yaml (role heads, ranks, honorifics, role verbs), loaded once."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from briefgen.extract.wordlists import WordLists, Words, load_words


def _phrases(value: Any) -> Any:
    """Phrases as word tuples, as the tokenizer (with the abbreviations as special cases) splits them."""
    return [tuple(str(phrase).lower().split()) for phrase in value] if isinstance(value, list) else value


Phrases = Annotated[tuple[tuple[str, ...], ...], BeforeValidator(_phrases)]
PhraseSet = Annotated[frozenset[tuple[str, ...]], BeforeValidator(_phrases)]


class RoleWords(WordLists):
    """Role vocabulary in lower case; phrases as word tuples as the tokenizer splits them."""

    heads: Words = Field(alias="role_heads")  # also cut an organization out of a title ("Interior Minister")
    more_heads: Words = Field(alias="more_role_heads")  # titles only
    ranks: PhraseSet
    honorifics: Words
    abbreviations: tuple[str, ...]  # as written: tokenizer special cases
    role_verbs: dict[str, str]  # lemma -> role noun
    as_role_verbs: Words
    role_adjectives: Phrases

    @property
    def rank_words(self) -> frozenset[str]:
        """Abbreviated ranks and honorifics: words stripped from the front of a name. Full rank words
        are not: they also start names ("General Directorate of ...")."""
        abbreviated = {rank[0] for rank in self.ranks if len(rank) == 1 and "." in rank[0]}
        return frozenset(abbreviated | {"gen"} | self.honorifics)

    @property
    def longest_rank(self) -> int:
        """Words in the longest rank."""
        return max(len(rank) for rank in self.ranks)


@cache
def role_words() -> RoleWords:
    """The role vocabulary of data/roles.yaml."""
    return load_words("roles", RoleWords)
