"""Known names: the project's gazetteer indexed by slug and loose name key, and the keys themselves."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from briefgen.config import Gazetteer, KnownActor, KnownPlace

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_LEADING_AL = re.compile(r"\b(?:al|el|as|ad|ar)-", re.IGNORECASE)


def slugify(name: str) -> str:
    """A stable id for a name: ASCII, lower case, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower().replace("'", "")
    return _NON_SLUG.sub("-", ascii_name).strip("-")


def name_key(name: str) -> str:
    """A loose key to compare names: no article, possessive, al- prefix, case or punctuation."""
    text = name.translate(_APOSTROPHES).strip()
    text = re.sub(r"^(?:the)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"'s?$", "", text)
    return slugify(_LEADING_AL.sub("", text))


@dataclass
class Known:
    """Gazetteer entries indexed by slug and by loose name key."""

    actors: dict[str, KnownActor] = field(default_factory=dict)
    places: dict[str, KnownPlace] = field(default_factory=dict)
    actor_keys: dict[str, str] = field(default_factory=dict)
    place_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> Known:
        """Index a gazetteer."""
        known = cls()
        for actor in gazetteer.actors:
            slug = slugify(actor.name)
            known.actors[slug] = actor
            for alias in (actor.name, *actor.aliases):
                known.actor_keys.setdefault(name_key(alias), slug)
        for place in gazetteer.places:
            slug = slugify(place.name)
            known.places[slug] = place
            for alias in (place.name, *place.aliases):
                known.place_keys.setdefault(name_key(alias), slug)
        return known
