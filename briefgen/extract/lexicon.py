"""Linguistic lexicons: role heads, ranks, place heads, country names, cue verbs."""

from __future__ import annotations

ROLE_HEADS: frozenset[str] = frozenset({
    "analyst", "expert", "minister", "prime minister", "advisor", "adviser", "commander", "spokesman",
    "spokeswoman", "spokesperson", "member", "official", "researcher", "scholar", "president",
    "secretary of state", "secretary", "general", "leader", "chief", "director", "head", "ambassador",
    "envoy", "governor", "lawmaker", "chairman", "chairwoman", "officer", "figure", "cleric",
    "journalist", "professor", "mayor", "observer", "deputy", "representative", "coordinator",
})
# Rank abbreviations that may sit between a title and a name ("Commander Gen. X").
RANKS: frozenset[str] = frozenset({"gen.", "gen", "lt.", "col.", "maj.", "brig.", "dr.", "mr.", "ms.", "mrs."})
# Single capitalised words the model cuts out of titles and labels ORG ("Secretary of State").
TITLE_WORDS: frozenset[str] = frozenset({"state", "interior", "defense", "defence", "foreign", "security",
                                         "treasury", "justice", "finance"})
TITLE_OF_HEADS: frozenset[str] = frozenset({"secretary", "minister"})
# A word after a name that makes the name a place: "X camp", "X Air Base" ...
PLACE_HEADS: dict[tuple[str, ...], str] = {
    ("air", "base"): "base", ("airbase",): "base", ("base",): "base", ("camp",): "camp",
    ("prison",): "facility", ("airport",): "facility", ("crossing",): "facility", ("dam",): "facility",
    ("mountains",): "region", ("mountain",): "region", ("valley",): "region", ("desert",): "region",
    ("province",): "region", ("governorate",): "region", ("district",): "region", ("village",): "other",
}
COUNTRIES: frozenset[str] = frozenset({
    "iraq", "syria", "iran", "turkey", "turkiye", "jordan", "lebanon", "saudi arabia", "united states",
    "kuwait", "israel", "egypt", "yemen", "qatar", "united arab emirates", "russia", "france",
    "united kingdom", "germany", "afghanistan", "libya", "bahrain", "oman", "china", "palestine",
})
COUNTRY_ALIASES: dict[str, str] = {"us": "United States", "u.s.": "United States", "usa": "United States",
                                   "the united states": "United States", "uk": "United Kingdom",
                                   "britain": "United Kingdom", "uae": "United Arab Emirates"}
# Verbs that attribute speech; lemma form.
CUE_VERBS: frozenset[str] = frozenset({
    "say", "tell", "warn", "stress", "add", "argue", "explain", "confirm", "conclude", "note",
    "state", "announce", "affirm", "acknowledge", "emphasize", "emphasise", "underscore", "highlight",
    "urge", "allege", "claim", "suggest", "describe", "reiterate", "express", "voice", "insist",
    "believe", "caution", "agree", "point", "accuse", "deny", "reaffirm", "assert", "maintain",
})
DISPUTED_CUES: frozenset[str] = frozenset({"allege", "claim"})
