"""Merging per-document facts: one actor or place per id across sources."""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.extract.known import name_key
from briefgen.facts import Actor, DocumentFacts, FactSet, Location


def other_forms(name: str, forms: Iterable[str]) -> list[str]:
    """The forms other than `name`, each once, in order; forms that differ only in case are one
    ("Coalition" at a sentence's start is "coalition")."""
    seen = {name.casefold()}
    kept = []
    for form in forms:
        if form.casefold() not in seen:
            seen.add(form.casefold())
            kept.append(form)
    return kept


def merge_facts(per_document: Iterable[DocumentFacts]) -> FactSet:
    """Merge facts across documents.

    Actors with the same id or the same loose name key become one, with every
    mention, the union of aliases, the fullest name, and role/affiliation from
    the first document that states one. Places likewise. Events, quantities,
    quotes, tactics and incidents are concatenated (their ids already carry the
    document; `briefgen.incidents` groups incidents told by several sources).
    """
    merged = FactSet()
    actors: dict[str, Actor] = {}
    actor_keys: dict[str, str] = {}
    actor_forms: dict[str, set[str]] = {}  # each merged actor's name and aliases, as they are now
    places: dict[str, Location] = {}
    for facts in per_document:
        for actor in facts.actors:
            _merge_actor(actors, actor_keys, actor_forms, actor)
        for place in facts.locations:
            _merge_place(places, place)
        merged.events += facts.events
        merged.quantities += facts.quantities
        merged.quotes += facts.quotes
        merged.tactics += facts.tactics
        merged.incidents += facts.incidents
    merged.actors = list(actors.values())
    merged.locations = list(places.values())
    return merged


def _merge_actor(actors: dict[str, Actor], keys: dict[str, str], forms: dict[str, set[str]], actor: Actor) -> None:
    target_id = actor.id if actor.id in actors else keys.get(name_key(actor.name))
    if target_id is None:
        copy = Actor(
            id=actor.id,
            name=actor.name,
            kind=actor.kind,
            aliases=list(actor.aliases),
            role=actor.role,
            affiliation=actor.affiliation,
            mentions=list(actor.mentions),
        )
        actors[actor.id] = copy
        keys.setdefault(name_key(actor.name), actor.id)
        return
    target = actors[target_id]
    # Names the actor already has leave its name and aliases as they are (once merged, its name is the fullest of
    # them and its aliases the others): most mentions of a known actor, across a year of sources, bring none.
    known = forms.get(target_id, set())
    if actor.name not in known or not known.issuperset(actor.aliases):
        names = [target.name, *target.aliases, actor.name, *actor.aliases]
        target.name = max(dict.fromkeys(names), key=lambda name: (len(name.split()), len(name)))
        target.aliases = other_forms(target.name, names)
        forms[target_id] = {target.name, *target.aliases}
    target.role = target.role or actor.role
    target.affiliation = target.affiliation or actor.affiliation
    target.mentions += actor.mentions


def _merge_place(places: dict[str, Location], place: Location) -> None:
    target = places.get(place.id)
    if target is None:
        places[place.id] = Location(
            id=place.id,
            name=place.name,
            kind=place.kind,
            lat=place.lat,
            lon=place.lon,
            country=place.country,
            mentions=list(place.mentions),
            aliases=list(place.aliases),
            relations=list(place.relations),
        )
        return
    target.mentions += place.mentions
    target.aliases = other_forms(target.name, [*target.aliases, *place.aliases])
    target.relations += [relation for relation in place.relations if relation not in target.relations]
    target.lat = target.lat if target.lat is not None else place.lat
    target.lon = target.lon if target.lon is not None else place.lon
    target.country = target.country or place.country
