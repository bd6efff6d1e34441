"""The word lists of data/roles.yaml (role heads, ranks, honorifics, role verbs), loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from briefgen.extract.wordlists import word_lists


@dataclass(frozen=True)
class RoleWords:
    """Role vocabulary in lower case; phrases as word tuples as the tokenizer splits them."""

    heads: frozenset[str]  # also cut an organization out of a title ("Interior Minister")
    more_heads: frozenset[str]  # titles only
    ranks: frozenset[tuple[str, ...]]
    honorifics: frozenset[str]
    abbreviations: tuple[str, ...]  # as written: tokenizer special cases
    role_verbs: dict[str, str]  # lemma -> role noun
    as_role_verbs: frozenset[str]
    role_adjectives: tuple[tuple[str, ...], ...]

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


def _phrase(text: str) -> tuple[str, ...]:
    """A rank as the tokenizer (with the abbreviations as special cases) splits it."""
    return tuple(text.lower().split())


@cache
def role_words() -> RoleWords:
    """The role vocabulary of data/roles.yaml."""
    data = word_lists("roles")
    words = {key: [str(word) for word in value] for key, value in data.items() if isinstance(value, list)}
    return RoleWords(
        heads=frozenset(word.lower() for word in words["role_heads"]),
        more_heads=frozenset(word.lower() for word in words["more_role_heads"]),
        ranks=frozenset(_phrase(rank) for rank in words["ranks"]),
        honorifics=frozenset(word.lower() for word in words["honorifics"]),
        abbreviations=tuple(words["abbreviations"]),
        role_verbs={str(verb): str(noun) for verb, noun in data["role_verbs"].items()},
        as_role_verbs=frozenset(words["as_role_verbs"]),
        role_adjectives=tuple(_phrase(word) for word in words["role_adjectives"]),
    )
