"""Linguistic lexicons: role heads, ranks, place heads, country names, cue verbs."""

from __future__ import annotations

from briefgen.extract.rolewords import role_words

# Role heads and ranks are data (data/roles.yaml).
ROLE_HEADS: frozenset[str] = role_words().heads
# Rank abbreviations and courtesy titles that may sit between a title and a name ("Commander Gen. X").
RANKS: frozenset[str] = role_words().rank_words
# Single capitalised words the model cuts out of titles and labels ORG ("Secretary of State").
TITLE_WORDS: frozenset[str] = frozenset(
    {"state", "interior", "defense", "defence", "foreign", "security", "treasury", "justice", "finance"}
)
TITLE_OF_HEADS: frozenset[str] = frozenset({"secretary", "minister"})
# A word after a name that makes the name a place: "X camp", "X Air Base" ...
PLACE_HEADS: dict[tuple[str, ...], str] = {
    ("air", "base"): "base",
    ("airbase",): "base",
    ("base",): "base",
    ("camp",): "camp",
    ("prison",): "facility",
    ("airport",): "facility",
    ("crossing",): "facility",
    ("dam",): "facility",
    ("mountains",): "region",
    ("mountain",): "region",
    ("valley",): "region",
    ("desert",): "region",
    ("province",): "region",
    ("provinces",): "region",  # "Diyala and Salahuddin provinces"
    ("districts",): "region",
    ("regions",): "region",
    ("military", "base"): "base",
    ("naval", "base"): "base",
    ("airfield",): "base",
    ("air", "field"): "base",
    ("governorate",): "region",
    ("district",): "region",
    ("village",): "other",
    ("town",): "city",
    ("forward", "operating", "base"): "base",
    ("operating", "base"): "base",
    ("forest",): "region",
    ("region",): "region",
    ("strait",): "region",
    ("island",): "region",
    ("lake",): "region",
    ("road",): "other",
    ("highway",): "other",
}
# Verbs that attribute speech; lemma form.
CUE_VERBS: frozenset[str] = frozenset(
    {
        "say",
        "ask",
        "call",
        "assure",
        "remind",
        "inform",
        "press",
        "encourage",
        "tell",
        "warn",
        "stress",
        "add",
        "argue",
        "explain",
        "confirm",
        "conclude",
        "note",
        "state",
        "announce",
        "affirm",
        "acknowledge",
        "emphasize",
        "emphasise",
        "underscore",
        "highlight",
        "urge",
        "allege",
        "claim",
        "suggest",
        "describe",
        "reiterate",
        "express",
        "voice",
        "insist",
        "believe",
        "caution",
        "agree",
        "point",
        "accuse",
        "deny",
        "reaffirm",
        "assert",
        "maintain",
        "pledge",
        "vow",
        "promise",
        "outline",
        "reveal",
        "report",
        "reassure",
        "admit",
        "concede",
        "estimate",
        "predict",
        "demand",
    }
)
DISPUTED_CUES: frozenset[str] = frozenset({"allege", "claim"})
# Cue verbs whose meaning needs a particle or preposition: (lemma, particle) -> cue.
PHRASAL_CUES: dict[tuple[str, str], str] = {
    ("point", "out"): "point out",
    ("call", "on"): "call on",
    ("call", "upon"): "call on",
    ("call", "for"): "call for",
    ("warn", "of"): "warn of",
    ("argue", "for"): "argue for",
    ("point", "to"): "point to",
    ("warn", "against"): "warn against",
}
# Cue verbs whose object is the person addressed ("told X that ..."): the claim is the clause.
ADDRESSEE_CUES: frozenset[str] = frozenset({"tell", "inform", "assure", "reassure", "remind", "warn", "caution"})
# Cue verbs whose object is what is said ("voiced doubt about ...", "stressed the need to ...").
CONTENT_OBJECT_CUES: frozenset[str] = frozenset(
    {
        "voice",
        "express",
        "stress",
        "emphasize",
        "emphasise",
        "underscore",
        "highlight",
        "reiterate",
        "reaffirm",
        "acknowledge",
        "describe",
        "pledge",
        "vow",
        "promise",
        "outline",
        "demand",
    }
)
# Nouns for people or reporting that speak without being named ("security sources said", "experts
# stress", "reports from X revealed"): their claims are kept, attributed to no actor.
SOURCE_NOUNS: frozenset[str] = frozenset(
    {
        "source", "official", "expert", "analyst", "observer", "monitor", "investigator", "resident",
        "witness", "officer", "commander", "spokesman", "spokeswoman", "spokesperson", "diplomat",
        "lawmaker", "legislator", "report", "reporting", "estimate", "tracker", "assessment", "authority",
        "researcher", "statement", "elder", "villager", "activist", "medic", "aide", "minister", "leader",
        "newspaper", "outlet", "channel", "broadcaster", "contact", "faction", "agency", "group", "party",
    }
)
# Cue verbs that report only a clause: "maintained confidence in X" or "added pressure" report nothing.
CLAUSE_ONLY_CUES: frozenset[str] = frozenset({"maintain", "believe", "agree", "insist", "add", "conclude", "suggest"})
# Cue verbs whose object and infinitive together are the claim ("urged X to act").
DIRECTIVE_CUES: frozenset[str] = frozenset({"urge", "ask", "call on", "press", "encourage"})
# The last word of a news organization's name ("Valley News", "River Courier").
MEDIA_NAME_WORDS: frozenset[str] = frozenset(
    {
        "news",
        "courier",
        "dispatch",
        "times",
        "post",
        "gazette",
        "herald",
        "tribune",
        "journal",
        "daily",
        "wire",
        "press",
        "tv",
        "television",
        "radio",
        "channel",
        "broadcasting",
        "newspaper",
        "telegraph",
        "chronicle",
        "newswire",
    }
)
MEDIA_NAME_PAIRS: frozenset[tuple[str, str]] = frozenset({("news", "agency"), ("press", "agency")})
# A noun right before a name that makes it a news organization: "the newspaper X".
MEDIA_NOUNS: frozenset[str] = frozenset(
    {"newspaper", "daily", "broadcaster", "channel", "outlet", "website", "agency", "network", "magazine", "weekly"}
)
# Words before a name at the start of a line that make it a byline: "Filed by X", "Reporting: X".
BYLINE_CUES: frozenset[str] = frozenset(
    {"filed", "reported", "written", "compiled", "edited", "reporting", "editing", "writing", "by", "additional"}
)
# Verbs whose object is what a place holds ("the prison holds 5,000"): their subject is a container.
CONTAINER_VERBS: frozenset[str] = frozenset(
    {"hold", "house", "shelter", "host", "contain", "accommodate", "detain", "keep", "have"}
)
# Words that open a subordinate or relative clause; an event's text does not start with them.
COMPLEMENTIZERS: frozenset[str] = frozenset(
    {"that", "which", "where", "when", "as", "who", "whom", "whose", "while", "since", "because",
     "although", "though", "whereas", "if", "once", "than"}
)
CONJUNCTIONS: frozenset[str] = frozenset({"and", "but", "or", "nor", "yet", "so", "then"})
# Verb lemmas that are cues only with a particle (see PHRASAL_CUES).
PARTICLE_ONLY_CUES: frozenset[str] = frozenset({"call", "point"})
# Prepositions before a place: a name after them (or joined to such a name) stands where places stand.
LOCATIVE_PREPOSITIONS: frozenset[str] = frozenset(
    {"in", "near", "at", "from", "to", "outside", "around", "between", "towards", "toward", "into", "across",
     "through", "within", "inside", "via", "beyond", "past"}
)
# Nouns for places: a name that is their possessor or modifier says where ("Iraq's Anbar province").
PLACE_NOUNS: frozenset[str] = frozenset(
    {"province", "provinces", "region", "regions", "border", "borders", "capital", "city", "cities", "town",
     "towns", "village", "villages", "district", "districts", "desert", "territory", "territories", "soil",
     "airspace", "waters", "coast", "north", "south", "east", "west", "northeast", "northwest", "southeast",
     "southwest", "countryside", "mountains", "area", "areas", "state", "governorate", "side", "part", "parts"}
)
