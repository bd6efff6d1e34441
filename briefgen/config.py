"""Configuration: YAML files validated by pydantic models, errors with file:line:col.

A project directory holds:

    config/briefgen.yaml        project settings (ProjectConfig)
    config/gazetteer.yaml       known actors, places, roles, tactics (Gazetteer)
    config/briefs/NAME.yaml     one brief each (BriefConfig)
    config/audiences/NAME.yaml  one audience each (AudienceConfig)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import typing
import zoneinfo
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar, Union
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from briefgen import safeyaml
from briefgen.errors import ConfigError
from briefgen.freshness import DURATION_HELP, check_duration
from briefgen.grading import outlet_key, parse_grade
from briefgen.stories import DEFAULT_SIMILARITY

# ICD 203's expressions of likelihood, with the probability range each stands for.
LIKELIHOOD_TERMS = {
    "almost no chance": "01–05%", "very unlikely": "05–20%", "unlikely": "20–45%",
    "roughly even chance": "45–55%", "likely": "55–80%", "very likely": "80–95%", "almost certain": "95–99%",
}
# ACLED's event types, the ones an incidents section may be limited to.
INCIDENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                  "Strategic developments")
# Timelines: a brief may hold any number (each with its own title); every other section kind at most once.
TIMELINE_KINDS = ("timeline", "withdrawal_timeline")
# The kinds of place (a gazetteer place's `kind`, a threat summary's `zone_kinds`).
PlaceKind = Literal["city", "region", "facility", "country", "camp", "base", "other"]
_ZONE_KINDS: tuple[PlaceKind, ...] = ("region", "city", "camp", "facility", "other")
# What a figure must count to be shown by default (a word of its subject starts with one of these): general
# words for people and what befalls them, for any theatre. A brief adds its own in the section's `figure_terms`.
FIGURE_TERMS = ("people", "person", "civilian", "soldier", "troop", "police", "officer", "fighter", "militant",
                "combatant", "member", "resident", "refugee", "migrant", "child", "women", "famil", "casualt",
                "death", "victim", "hostage", "detainee", "prisoner", "attack")
Model = TypeVar("Model", bound=BaseModel)
MAX_CONFIG_BYTES = 1 << 20
ACTOR_KINDS: tuple[Literal["person", "organization"], ...] = ("person", "organization")
OUTPUT_FORMATS: tuple[Literal["html", "pdf"], ...] = ("html", "pdf")
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")


def check_time_zone(value: str) -> str:
    """`value` if it names an IANA time zone on this system; ValueError saying so otherwise."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    if len(value) > 64 or not _ZONE_NAME.fullmatch(value):
        raise ValueError(f"'{shown}' is not an IANA time zone name such as Europe/Paris or UTC")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone '{shown}'") from None
    return value


_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
STORE_URL_FORM = "postgresql://USER@HOST:PORT/DATABASE"


def check_store(value: str) -> str:
    """`value` if it is a store briefgen can open: a file path, or a PostgreSQL URL without a password."""
    if not value.strip():
        raise ValueError(f"expected a file name such as briefgen.db, or {STORE_URL_FORM}")
    if not _URL_SCHEME.match(value):
        return value
    if not value.lower().startswith(("postgresql://", "postgres://")):
        raise ValueError(f"a store is a file name such as briefgen.db or a PostgreSQL URL, {STORE_URL_FORM}; "
                         f"'{value.split('://', 1)[0]}://' is neither")
    parts = urlsplit(value)
    if any(character.isspace() for character in value):
        raise ValueError(f"a URL holds no spaces; write it as {STORE_URL_FORM}")
    if ":" in parts.netloc.rpartition("@")[0] or re.search(r"(^|&)password=", parts.query):
        raise ValueError("do not write the password here: give it in the PGPASSWORD environment variable or in "
                         "~/.pgpass (see README, 'A team on one store')")
    try:
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        raise ValueError(f"the port is not a number; write the URL as {STORE_URL_FORM}") from None
    if not parts.path.strip("/"):
        raise ValueError(f"name the database: {STORE_URL_FORM}")
    return value


class StrictModel(BaseModel):
    """Base for every config model: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- gazetteer -------------------------------------------------------------


class KnownActor(StrictModel):
    """An actor the ruler should recognise by any of its names."""

    name: str = Field(min_length=1, description="The fullest, preferred form of the name.")
    kind: Literal["person", "organization"]
    aliases: list[str] = Field(default_factory=list, description="Other names: abbreviations, transliterations ...")
    role: str | None = Field(None, description="Used only when no document states a role.")
    affiliation: str | None = None
    stance: str | None = Field(
        None, min_length=1, max_length=120,
        description="Analyst-curated position, shown on key-actor cards: 'opposes US troop presence'.",
    )


class KnownPlace(StrictModel):
    """A place with its kind, country and coordinates."""

    name: str = Field(min_length=1)
    kind: Literal["city", "region", "facility", "country", "camp", "base", "other"]
    aliases: list[str] = Field(default_factory=list, description="Transliteration variants.")
    country: str | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)


class KnownTactic(StrictModel):
    """A method of operation to spot in text (IEDs, assassinations ...)."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class EventCue(StrictModel):
    """Words that tell an event of a kind, added to briefgen's own (briefgen/extract/data/patterns)."""

    label: str = Field(pattern=r"^[a-z][a-z_]{0,39}$",
                       description="The event kind: attack, withdrawal ..., or a kind of the project's own.")
    pattern: str | list[dict[str, Any]] = Field(
        description="A word or phrase ('hijack', 'set ablaze'), matched in any inflection, or a spaCy Matcher "
                    "token pattern: [{LEMMA: seize}, {LOWER: control}].",
    )

    @field_validator("pattern")
    @classmethod
    def _valid_pattern(cls, value: str | list[dict[str, Any]]) -> str | list[dict[str, Any]]:
        if isinstance(value, str):
            if not value.split():
                raise ValueError("a cue phrase needs a word")
            return value
        if not value:
            raise ValueError("a token pattern needs at least one token")
        from spacy.schemas import validate_token_pattern  # spaCy is only imported when a project has patterns

        problems = validate_token_pattern(value)
        if problems:
            raise ValueError("not a spaCy token pattern: " + "; ".join(map(str, problems)))
        return value


class Gazetteer(StrictModel):
    """What a desk knows of its theatre: its countries, the names that win over the statistical model,
    the role lexicon, tactics and event cues."""

    countries: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        default_factory=list,
        description="The theatre's countries: a town's name is looked up in them as well as in the countries a "
                    "source names, and the map and the active zones keep to them.",
    )
    actors: list[KnownActor] = Field(default_factory=list)
    places: list[KnownPlace] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list, description="Role titles: security analyst ...")
    tactics: list[KnownTactic] = Field(default_factory=list)
    event_cues: list[EventCue] = Field(
        default_factory=list, description="Words that tell an event of a kind: {label: attack, pattern: hijack}."
    )


# --- delivery ----------------------------------------------------------------


class SecretFromEnv(StrictModel):
    """A secret read from an environment variable, never written in YAML: `{$env: NAME}`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    env: str = Field(alias="$env", min_length=1)


class SmtpConfig(StrictModel):
    """An SMTP server to send briefs through."""

    host: str = Field(min_length=1)
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="starttls (usually port 587), tls: implicit TLS (465), none: plain (tests only)."
    )
    username: str | None = None
    password: SecretFromEnv | None = Field(None, description="{$env: NAME}: the variable holding the password.")
    sender: str = Field(min_length=3, description="The From address: 'b@x.org' or 'Briefs <b@x.org>'.")
    timeout: float = Field(30, gt=0)

    @field_validator("sender")
    @classmethod
    def _valid_sender(cls, value: str) -> str:
        from briefgen.deliver import address_problem  # imported here: only email needs it

        problem = address_problem(value, named=True)
        if problem:
            raise ValueError(f"{value!r} is not a valid email address: {problem}")
        return value


class DeliveryConfig(StrictModel):
    """How finished editions leave briefgen: email and/or a folder drop."""

    smtp: SmtpConfig | None = None
    drop: str | None = Field(None, description="A folder (relative to the project) each edition is copied into.")
    attempts: int = Field(3, ge=1, le=10, description="Tries per recipient before a delivery is reported failed.")
    backoff: float = Field(30, ge=0, description="Seconds before the first retry; doubled each time.")


def _plain_address(value: str) -> str:
    """`value` when it is one plain email address (as schedule recipients are checked); ValueError otherwise."""
    from briefgen.deliver import address_problem  # imported here: only email needs it

    problem = address_problem(value)
    if problem:
        raise ValueError(f"{value!r} is not a valid email address: {problem}")
    return value


class ReviewConfig(StrictModel):
    """Who approves the drafts of audiences with `approval: required`, and where they review them."""

    reviewers: list[Annotated[str, AfterValidator(_plain_address)]] = Field(
        default_factory=list, description="Email addresses told of each draft awaiting approval.")
    url: str | None = Field(
        None, max_length=500,
        description="Base URL of the review pages, e.g. http://127.0.0.1:8000; a brief's is URL/review/BRIEF/.")

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(f"'{value}' is not an http:// or https:// address such as http://127.0.0.1:8000")
        return value.rstrip("/")

    @field_validator("reviewers")
    @classmethod
    def _each_once(cls, value: list[str]) -> list[str]:
        folded = [address.lower() for address in value]
        twice = sorted({address for address in value if folded.count(address.lower()) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} listed twice (each would get two notices)")
        return value


# --- project ---------------------------------------------------------------


def _grade_text(value: object) -> str:
    """A grade's canonical text ('b2' -> 'B2'); ValueError saying what is wrong otherwise."""
    return parse_grade(value).text


# An Admiralty grade as written in configuration, kept in its canonical form.
SourceGrade = Annotated[str, BeforeValidator(_grade_text)]


class SourceLimits(StrictModel):
    """How big a source may be; a source over a limit is skipped with a line saying which limit."""

    source_bytes: int = Field(8 * 1024 * 1024, ge=1024, description="A source file's size on disk.")
    text_characters: int = Field(2_000_000, ge=1000, description="The plain text left after markup is removed.")
    front_matter_bytes: int = Field(64 * 1024, ge=256, description="The YAML block at the top of a text source.")
    pdf_pages: int = Field(2000, ge=1, description="The pages of a PDF source.")


class FetchSettings(StrictModel):
    """How `briefgen fetch` (and a scheduled run, before it builds) fetches feeds and web pages."""

    folder: str = Field("fetched", description="Where fetched items are kept, raw with their metadata, relative "
                                                "to the project; a brief is rebuilt from them offline.")
    allow_private_addresses: bool = Field(
        False, description="Fetch from loopback, private and link-local addresses too (an intranet feed). Off: "
                           "such an address is refused, in a source's URL or a redirect.")
    private_hosts: list[Annotated[str, Field(min_length=1, max_length=260)]] = Field(
        default_factory=list, max_length=50,
        description="Hosts ('feeds.intranet' or 'feeds.intranet:8080') that may be on a private address while "
                    "allow_private_addresses is off; redirects elsewhere stay refused.")
    timeout_seconds: float = Field(20.0, gt=0, le=300, description="For connecting, and between bytes received.")
    total_seconds: float = Field(120.0, gt=0, le=3600, description="A response still arriving after this is dropped.")
    max_bytes: int = Field(10 * 1024 * 1024, ge=1024, le=1 << 30, description="A response larger is refused.")
    retries: int = Field(2, ge=0, le=10, description="Tries after a failed connection or a 429/5xx answer.")
    backoff_seconds: float = Field(2.0, ge=0, le=120, description="Wait before the first retry; doubled after.")
    host_interval_seconds: float = Field(1.0, ge=0, le=60, description="The least time between two requests "
                                                                         "to one host.")
    max_items: int = Field(30, ge=1, le=1000, description="Newest items taken from a feed on each fetch.")
    user_agent: str | None = Field(None, max_length=200, description="Default: briefgen/VERSION (+contact).")
    proxy: str | None = Field(
        None, max_length=500, pattern=r"^http://[^\s/?#@]+(?::\d+)?/?$",
        description="An HTTP proxy every request goes through, e.g. http://proxy.example:3128. The proxy resolves "
                    "names, so only addresses written in a URL can be checked then (see README).")

    @field_validator("folder")
    @classmethod
    def _inside_project(cls, value: str) -> str:
        return _glob_inside_project(value)


class StoriesConfig(StrictModel):
    """How copies of one report among a brief's sources are told apart from independent reports."""

    similarity: float = Field(
        DEFAULT_SIMILARITY, gt=0, le=1,
        description="Share of word shingles two texts must have in common (Jaccard) to be one story: "
                    "copies of a wire story, trimmed or lightly rewritten, score about 0.45 and up; "
                    "1 groups only identical texts.")


class ProjectConfig(StrictModel):
    """config/briefgen.yaml: settings shared by every brief of the project."""

    producer: str = Field("briefgen", min_length=1, max_length=200, description="Who issues the briefs (masthead).")
    contact: str | None = Field(None, max_length=200)
    store: str = Field("briefgen.db", max_length=1000,
                       description="The fact store: a SQLite file relative to the project, or a PostgreSQL database "
                                   f"a team shares, {STORE_URL_FORM} (its password from PGPASSWORD or ~/.pgpass).")
    output: str = Field("output", description="Where briefs are written, relative to the project.")
    gazetteer: str = "config/gazetteer.yaml"
    templates: str = Field("templates", description="Project templates overriding the built-ins.")
    static: str = Field("static", description="Project images and stylesheets.")
    page_size: Literal["A4", "Letter"] = "A4"
    timezone: str = Field("UTC", description="IANA time zone of the build date and the 'as of' time.")
    limits: SourceLimits = Field(default_factory=SourceLimits)
    stories: StoriesConfig = Field(default_factory=StoriesConfig,
                                   description="Copies of one report (wire stories) counted as one source.")
    pdf_variant: Literal["pdf/ua-1", "pdf/a-2b", "pdf/a-3b", "pdf/a-3u"] | None = Field(
        None, description="An archival (PDF/A) or accessible (PDF/UA) PDF; plain PDF when null."
    )
    delivery: DeliveryConfig = Field(default_factory=DeliveryConfig)
    review: ReviewConfig = Field(default_factory=ReviewConfig,
                                 description="Reviewers of drafts awaiting approval, and the review page.")
    fetch: FetchSettings = Field(default_factory=FetchSettings,
                                 description="Fetching the feeds and pages briefs list among their sources.")
    grades: dict[Annotated[str, Field(min_length=1, max_length=120)], SourceGrade] = Field(
        default_factory=dict,
        description="The desk's Admiralty grade of each outlet ('Reuters: B2'), matched ignoring case and spacing; "
                    "a source's own front matter `grade:` wins. See briefgen.grading.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return check_time_zone(value)

    @field_validator("store")
    @classmethod
    def _openable_store(cls, value: str) -> str:
        return check_store(value)

    @field_validator("grades", mode="before")
    @classmethod
    def _outlet_mapping(cls, value: object) -> object:
        if value is None:  # 'grades:' with nothing under it
            return {}
        if not isinstance(value, dict):
            raise ValueError("expected one 'outlet: grade' line each, e.g. 'Reuters: B2'")
        return value

    @field_validator("grades")
    @classmethod
    def _each_outlet_once(cls, value: dict[str, str]) -> dict[str, str]:
        seen: dict[str, str] = {}
        for outlet in value:
            if not outlet.strip():
                raise ValueError("an outlet name is blank")
            first = seen.setdefault(outlet_key(outlet), outlet)
            if first != outlet:
                raise ValueError(f"'{outlet}' is '{first}' again (outlets are matched ignoring case and spacing)")
        return value


# --- audiences ------------------------------------------------------------


# Sources cited beside one item when an audience does not say: enough to show corroboration at a glance.
DEFAULT_MAX_CITATIONS = 3


class AudienceConfig(StrictModel):
    """config/audiences/NAME.yaml: which sections, how much detail, which marking."""

    label: str = Field(min_length=1, max_length=120, description="Shown in the masthead: 'Analyst brief'.")
    sections: list[str] | None = Field(None, description="Section kinds in order; default all.")
    limits: dict[str, int] = Field(default_factory=dict, description="Max items per section kind.")
    citations: bool = True
    max_citations: int = Field(
        DEFAULT_MAX_CITATIONS, ge=1, le=50,
        description="Sources cited beside one item (the best graded, then the earliest); the rest are counted "
                    "('+4 more') and listed in the edition's data export.")
    marking: str | None = Field(None, max_length=60, description="Handling marking, e.g. 'TLP:AMBER'; none if null.")
    releasable_only: bool = Field(False, description="Use only sources marked releasable.")
    max_pages: int | None = Field(
        None, ge=1, description="The PDF's most pages: the build drops the least significant items until it fits, "
                                "and warns, naming what it dropped, only when it cannot.")
    templates: str | None = Field(None, description="Override folder, relative to the project.")
    page_size: Literal["A4", "Letter"] | None = None
    toc: bool = Field(True, description="A contents list after the masthead (with page numbers in the PDF).")
    graphics: bool = Field(True, description="Timeline graphic, figures chart and map of active zones.")
    logo: str | None = Field(None, description="An SVG or PNG file (relative to the project) for the masthead.")
    accent: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$", description="Accent colour, e.g. '#5a3e1b'.")
    approval: Literal["none", "required"] = Field(
        "none", description="required: each edition is a draft, delivered only once a reviewer approves it "
                            "(briefgen approve); none: delivered at once.")

    @field_validator("sections", "limits")
    @classmethod
    def _known_section_kinds(cls, value: Any) -> Any:
        for kind in value or []:
            if kind not in SECTION_KINDS:
                raise ValueError(f"unknown section '{kind}'; valid sections: {', '.join(SECTION_KINDS)}")
        return value


# --- briefs ---------------------------------------------------------------


class SectionBase(StrictModel):
    """Parameters every section has; each kind's model sets its `kind` and `default_title`."""

    default_title: ClassVar[str]

    title: str | None = Field(None, max_length=200, description="Heading; defaults to the section's usual name.")


class Judgment(StrictModel):
    """One key judgment: a statement with ICD 203 likelihood and a separate confidence level."""

    statement: str = Field(min_length=1, description="The judgment, one sentence (Markdown).")
    likelihood: str | None = Field(None, description="An ICD 203 term: almost no chance ... almost certain.")
    confidence: Literal["high", "moderate", "low"] | None = None
    basis: str | None = Field(None, description="Why: the reporting behind it (Markdown).")

    @field_validator("likelihood")
    @classmethod
    def _icd203_term(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in LIKELIHOOD_TERMS:
            raise ValueError(f"'{value}' is not an ICD 203 likelihood term; use one of: {', '.join(LIKELIHOOD_TERMS)}")
        return value.lower() if value else None


class AnalystWrittenSection(SectionBase):
    """A section an analyst writes: Markdown in `text` or in `file` beside the brief's YAML (never both),
    and/or the list named by `items_field`; one of them must be given."""

    items_field: ClassVar[str]
    text: str | None = None
    file: str | None = None

    @model_validator(mode="after")
    def _text_or_file(self) -> AnalystWrittenSection:
        if self.text is not None and self.file is not None:
            raise ValueError("give 'text' or 'file', not both")
        if self.text is None and self.file is None and not getattr(self, self.items_field):
            raise ValueError(f"give 'text', 'file' or '{self.items_field}'")
        return self


class KeyJudgmentsSection(AnalystWrittenSection):
    """Analyst-written bottom line: Markdown in `text` or in `file` beside the brief's YAML, and/or `judgments`."""

    items_field: ClassVar[str] = "judgments"
    default_title: ClassVar[str] = "Key judgments"
    kind: Literal["key_judgments"]
    judgments: list[Judgment] = Field(default_factory=list)
    incidents: int = Field(0, ge=0, le=10, description=(
        "Cite this many of the most significant incidents under the bottom line, ordered as the "
        "incidents section orders them (0: none)."))


class KeyFiguresSection(SectionBase):
    """Reported figures, one row for each thing counted about one subject (place or force) in one period:
    each value with its as-of date and source, disagreements and corroboration shown."""

    default_title: ClassVar[str] = "Key figures"
    kind: Literal["key_figures"]
    max_figures: int = Field(8, ge=0, description="At most this many rows (each with all its values).")
    figure_terms: list[str] = Field(
        default_factory=lambda: list(FIGURE_TERMS),
        description="A figure is shown when a word of what it counts starts with one of these (default: general "
                    "words for people and attacks, FIGURE_TERMS; a brief lists its theatre's own); empty: every "
                    "figure.",
    )


class MapOptions(StrictModel):
    """The threat summary's map of active zones."""

    extent: list[float] | None = Field(
        None, description="[lon_min, lat_min, lon_max, lat_max] in degrees; default: around the located places.",
    )
    max_incidents: int = Field(
        40, ge=0, description="At most this many incidents drawn, the most significant first (the incidents "
                              "table's order); a line under the map counts the rest.",
    )

    @field_validator("extent")
    @classmethod
    def _valid_extent(cls, value: list[float] | None) -> list[float] | None:
        if value is None:
            return None
        if len(value) != 4:
            raise ValueError(f"give four numbers [lon_min, lat_min, lon_max, lat_max], not {len(value)}")
        lon_min, lat_min, lon_max, lat_max = value
        for name, number, limit in (("lon_min", lon_min, 180), ("lat_min", lat_min, 90),
                                    ("lon_max", lon_max, 180), ("lat_max", lat_max, 90)):
            if not -limit <= number <= limit:
                raise ValueError(f"{name} {number:g} is outside -{limit}..{limit}")
        if lon_min >= lon_max:
            raise ValueError(f"lon_min {lon_min:g} must be less than lon_max {lon_max:g} (west to east, "
                             "without crossing the 180th meridian)")
        if lat_min >= lat_max:
            raise ValueError(f"lat_min {lat_min:g} must be less than lat_max {lat_max:g} (south to north)")
        return value


class ThreatSummarySection(SectionBase):
    """Figures, active zones, tactics, warnings and who gave them."""

    default_title: ClassVar[str] = "Threat summary"
    kind: Literal["threat_summary"]
    max_figures: int = Field(8, ge=0)
    max_zones: int = Field(8, ge=0)
    max_warnings: int = Field(6, ge=0)
    zone_kinds: list[PlaceKind] = Field(
        default_factory=lambda: list(_ZONE_KINDS), description="Kinds of place shown as active zones.")
    warning_cues: list[str] = Field(
        default_factory=lambda: ["warn", "stress", "caution", "allege", "describe", "highlight", "urge"]
    )
    figure_terms: list[str] = Field(
        default_factory=lambda: list(FIGURE_TERMS),
        description="A figure is shown when what it counts contains one of these; empty: every figure.",
    )
    assessment: str | None = Field(
        None, min_length=1,
        description="The analyst's assessment (Markdown), shown in its own box apart from the reported facts.",
    )
    map: MapOptions = Field(default_factory=MapOptions, description="The map of active zones.")


def incident_type(value: str) -> str:
    """`value` when it is one of ACLED's event types; ValueError listing them otherwise."""
    if value not in INCIDENT_TYPES:
        raise ValueError(f"unknown event type '{value}'; valid types: {', '.join(INCIDENT_TYPES)}")
    return value


class IncidentsSection(SectionBase):
    """Significant incidents, one row each however many sources tell it: date, place, type, actors, toll."""

    default_title: ClassVar[str] = "Significant incidents"
    kind: Literal["incidents"]
    max_incidents: int = Field(10, ge=0, description="At most this many rows, the most significant first.")
    event_types: list[Annotated[str, AfterValidator(incident_type)]] | None = Field(
        None, min_length=1, description=f"ACLED event types shown ({', '.join(INCIDENT_TYPES)}); default all.")


class IncidentChartSection(SectionBase):
    """Incidents by month and type: a stacked bar per month (empty months shown), the same incidents as the
    incidents table (the brief's window and theatre, dated at least to the month)."""

    default_title: ClassVar[str] = "Incidents by month and type"
    kind: Literal["incident_chart"]
    months: int = Field(12, ge=1, le=60, description="At most this many months, ending with the month of the "
                                                    "newest source and starting no earlier than the window.")
    measure: Literal["incidents", "fatalities"] = Field(
        "incidents", description="What the bars count: incidents, or fatalities (each incident's lowest reported "
                                 "toll); the other is given under each bar.")
    event_types: list[Annotated[str, AfterValidator(incident_type)]] | None = Field(
        None, min_length=1, description=f"ACLED event types shown ({', '.join(INCIDENT_TYPES)}); default all.")


class TimelineOptions(SectionBase):
    """What every timeline takes: its event kinds (checked against the project's in briefgen.project)."""

    event_kinds: list[str] | None = Field(
        None, min_length=1,
        description="Event kinds shown: briefgen's (withdrawal, attack ...), 'other', or a label of the "
                    "gazetteer's event_cues; default every kind but statement and other.",
    )
    max_entries: int = Field(20, ge=0)


class TimelineSection(TimelineOptions):
    """Dated events of the chosen kinds in order, each planned, overdue or done; a brief may have several."""

    default_title: ClassVar[str] = "Timeline"
    kind: Literal["timeline"]


class WithdrawalTimelineSection(TimelineOptions):
    """A timeline whose title and event kinds default to a withdrawal's."""

    default_title: ClassVar[str] = "Withdrawal timeline"
    kind: Literal["withdrawal_timeline"]
    event_kinds: list[str] | None = Field(
        default_factory=lambda: ["withdrawal", "deployment", "agreement"], min_length=1)


class KeyActorsSection(SectionBase):
    """Actors with role, affiliation, and what they said or did."""

    default_title: ClassVar[str] = "Key actors"
    kind: Literal["key_actors"]
    max_actors: int = Field(12, ge=0)
    actor_kinds: list[Literal["person", "organization"]] = Field(default_factory=lambda: list(ACTOR_KINDS))
    max_statements: int = Field(2, ge=0)


class Indicator(StrictModel):
    """Something to watch that would tell the outlook is coming true, or not."""

    indicator: str = Field(min_length=1, description="What to watch (Markdown, one line).")
    watch_for: str | None = Field(None, min_length=1, description="The sign that would count (Markdown).")
    direction: Literal["escalation", "de-escalation", "either"] | None = Field(
        None, description="Which way the sign would point: escalation, de-escalation or either.")
    why: str | None = Field(None, min_length=1, description="Why it matters (Markdown).")


class OutlookSection(AnalystWrittenSection):
    """Analyst-written outlook (Markdown in `text` or `file` beside the brief's YAML) and indicators to watch."""

    items_field: ClassVar[str] = "indicators"
    default_title: ClassVar[str] = "Outlook"
    kind: Literal["outlook"]
    indicators: list[Indicator] = Field(default_factory=list)


class IntelligenceGap(StrictModel):
    """Something the brief cannot yet say, why that matters, and how it could be found out."""

    gap: str = Field(min_length=1, description="What is not known (Markdown).")
    why_it_matters: str | None = Field(None, min_length=1, description="What depends on it (Markdown).")
    collection: str | None = Field(None, min_length=1, description="How it could be closed (Markdown).")


class IntelligenceGapsSection(SectionBase):
    """Analyst-written list of what is not known."""

    default_title: ClassVar[str] = "Intelligence gaps"
    kind: Literal["intelligence_gaps"]
    gaps: list[IntelligenceGap] = Field(min_length=1)


class SourcesSection(SectionBase):
    """The numbered source list every citation points to."""

    default_title: ClassVar[str] = "Sources"
    kind: Literal["sources"]


class ChangesSection(SectionBase):
    """From the second edition on: what changed since the previous edition, from the store's facts."""

    default_title: ClassVar[str] = "Changes since the last edition"
    kind: Literal["changes"]
    event_kinds: list[str] = Field(default_factory=lambda: ["withdrawal", "deployment", "agreement"])
    max_items: int = Field(10, ge=0, description="At most this many entries per kind of change.")


Section = Annotated[
    Union[  # noqa: UP007 - pydantic's discriminator needs an explicit Union
        KeyJudgmentsSection, ChangesSection, KeyFiguresSection, ThreatSummarySection, IncidentsSection,
        IncidentChartSection, TimelineSection, WithdrawalTimelineSection, KeyActorsSection, OutlookSection,
        IntelligenceGapsSection, SourcesSection,
    ],
    Field(discriminator="kind"),
]
# The registry of section kinds: each a model of the Section union above, named by its `kind`, with its
# `default_title`. A new kind is a model added there, a builder in `assemble.BUILDERS` and a template
# `sections/KIND.html`.
SECTION_MODELS: tuple[type[SectionBase], ...] = typing.get_args(typing.get_args(Section)[0])
SECTION_KINDS: tuple[str, ...] = tuple(typing.get_args(model.model_fields["kind"].annotation)[0]
                                       for model in SECTION_MODELS)
DEFAULT_TITLES: dict[str, str] = {kind: model.default_title
                                  for kind, model in zip(SECTION_KINDS, SECTION_MODELS, strict=True)}


class Schedule(StrictModel):
    """When a brief is built by itself, for whom, and where it goes."""

    cron: str = Field(min_length=1, description="A cron expression: minute hour day month weekday.")
    timezone: str = Field("UTC", description="IANA time zone the cron expression is read in.")
    audiences: list[str] | None = Field(None, description="Audience names; default the brief's.")
    formats: list[Literal["html", "pdf"]] = Field(default_factory=lambda: list(OUTPUT_FORMATS))
    recipients: dict[str, list[Annotated[str, AfterValidator(_address)]]] = Field(
        default_factory=dict, description="Email addresses per audience (the audience must be one this builds)."
    )
    missed: Literal["skip", "run_once"] = Field("run_once", description="What to do with runs missed while down.")

    @staticmethod
    def _address(value: str) -> str:
        """`value` when it is one plain email address; ValueError saying what is wrong otherwise."""
        from briefgen.deliver import address_problem  # imported here: only email needs it

        problem = address_problem(value)
        if problem:
            raise ValueError(f"{value!r} is not a valid email address: {problem}")
        return value

    @field_validator("recipients")
    @classmethod
    def _each_once(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for audience, addresses in value.items():
            folded = [address.lower() for address in addresses]
            twice = sorted({address for address in addresses if folded.count(address.lower()) > 1})
            if twice:
                raise ValueError(f"{audience}: {', '.join(twice)} listed twice (each would get two copies)")
        return value

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from briefgen.schedule import parse_cron  # imported here: only schedules need it

        try:
            parse_cron(value)
        except ValueError as error:
            raise ValueError(f"invalid cron expression {value!r}: {error}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str) -> str:
        return check_time_zone(value)


def _glob_inside_project(pattern: str) -> str:
    if pattern.startswith(("/", "\\", "~")) or ".." in pattern.replace("\\", "/").split("/"):
        raise ValueError(f"'{pattern}' reaches outside the project; globs are relative to the project folder, "
                         "e.g. sources/*.md")
    return pattern


_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


def _web_address(value: str) -> str:
    if not _WEB_ADDRESS.fullmatch(value):
        raise ValueError(f"'{value[:80]}' is not an http:// or https:// address")
    return value


class SourceEntry(StrictModel):
    """One item of a brief's `sources:`: a glob of files (written as a plain string, or as `files:`), a feed
    (`feed:`, RSS or Atom) or a web page (`url:`), with the outlet, language and grade of what it yields."""

    files: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_glob_inside_project)] | None = Field(
        None, description="A glob relative to the project, e.g. sources/*.md.")
    feed: Annotated[str, Field(max_length=2000), AfterValidator(_web_address)] | None = Field(
        None, description="An RSS or Atom feed's address; its items are fetched by `briefgen fetch`.")
    url: Annotated[str, Field(max_length=2000), AfterValidator(_web_address)] | None = Field(
        None, description="An article's address (a page, a PDF or a DOCX), fetched by `briefgen fetch`.")
    outlet: str | None = Field(None, min_length=1, max_length=120, description="Overrides the outlet the items name.")
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$",
                                 description="The items' language as a BCP 47 tag, e.g. en or fr.")
    grade: SourceGrade | None = Field(None, description="Admiralty grade of what this entry yields, e.g. B2; a "
                                                       "source's own front matter grade wins.")
    max_items: int | None = Field(None, ge=1, le=1000, description="A feed's newest items taken per fetch.")

    @model_validator(mode="before")
    @classmethod
    def _glob_as_string(cls, value: object) -> object:
        return {"files": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_kind(self) -> SourceEntry:
        kinds = [kind for kind in SOURCE_KINDS if getattr(self, kind) is not None]
        if len(kinds) != 1:
            raise ValueError(f"a source is a glob, or a mapping with exactly one of {', '.join(SOURCE_KINDS)} "
                             f"(found {', '.join(kinds) or 'none'})")
        if self.max_items is not None and self.feed is None:
            raise ValueError("max_items applies to a feed only")
        return self

    @property
    def kind(self) -> Literal["files", "feed", "url"]:
        """Which kind of source this is."""
        return "feed" if self.feed else "url" if self.url else "files"

    @property
    def address(self) -> str:
        """The glob, feed address or page address."""
        return self.files or self.feed or self.url or ""

    def folder(self, fetched_folder: str) -> str:
        """The project-relative folder a feed's or page's items are kept in: readable, and unique per address."""
        parts = urlsplit(self.address)
        readable = re.sub(r"[^a-z0-9]+", "-", f"{parts.hostname or ''} {parts.path}".lower())[:48].strip("-")
        digest = hashlib.sha256(self.address.encode()).hexdigest()[:8]
        return f"{fetched_folder.rstrip('/')}/{self.kind}-{readable or 'source'}-{digest}"

    def glob(self, fetched_folder: str) -> str:
        """The glob of the files this entry stands for: its own, or its fetched folder's items."""
        return self.files if self.files else f"{self.folder(fetched_folder)}/*"


SOURCE_KINDS = ("files", "feed", "url")


class TimeWindow(StrictModel):
    """Which documents (by publication date) a brief draws on."""

    start: dt.date | None = None
    end: dt.date | None = None
    days: int | None = Field(None, ge=1, le=36_600, description="Only the last N days (at most 100 years).")

    @model_validator(mode="after")
    def _start_before_end(self) -> TimeWindow:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start ({self.start}) is after end ({self.end})")
        return self


class BriefConfig(StrictModel):
    """config/briefs/NAME.yaml: one brief."""

    title: str = Field(min_length=1, max_length=200)
    subtitle: str | None = Field(None, max_length=400)
    keywords: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list, max_length=40, description="PDF and HTML metadata keywords.")
    sources: list[SourceEntry] = Field(
        min_length=1, max_length=500,
        description="Globs relative to the project (sources/*.md), feeds ({feed: URL}) and pages ({url: URL}).")
    window: TimeWindow = Field(default_factory=TimeWindow)
    audiences: list[str] | None = Field(None, description="Audience names; default all.")
    sections: list[Section] = Field(min_length=1)
    page_size: Literal["A4", "Letter"] | None = None
    schedules: list[Schedule] = Field(default_factory=list)
    stale_after: str | None = Field(
        None, description=f"Warn, and show a notice, when the newest source is older than this: {DURATION_HELP}. "
                          "No limit when unset.")

    _duration = field_validator("stale_after", mode="before")(check_duration)

    @model_validator(mode="after")
    def _sections_once(self) -> BriefConfig:
        kinds = [section.kind for section in self.sections if section.kind not in TIMELINE_KINDS]
        repeated = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if repeated:
            raise ValueError(f"section listed twice: {', '.join(repeated)}")
        titles = [(section.kind, section.title) for section in self.sections if isinstance(section, TimelineOptions)]
        same = sorted({title or f"none, kind {kind}" for kind, title in titles if titles.count((kind, title)) > 1})
        if same:
            raise ValueError(f"timelines with the same title: {', '.join(same)}; give each its own 'title'")
        return self

    def section(self, kind: str) -> Any:
        """The section of this kind (the first, for timelines), or None."""
        return next((section for section in self.sections if section.kind == kind), None)


# --- loading with precise errors --------------------------------------------


def load_yaml(path: Path, label: str, max_bytes: int = MAX_CONFIG_BYTES) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML file within safeyaml's limits; return the data and its node tree (for line numbers).

    `label` is how the file is named in messages (a path relative to the project).
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ConfigError(f"{label}: {size:,} bytes; a configuration file may hold at most {max_bytes:,}")
        source = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise ConfigError(f"{label}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{label}: not UTF-8 text (byte {error.start})") from None
    try:
        return safeyaml.load(source)
    except safeyaml.BadYAMLError as problem:
        raise ConfigError(f"{problem.where(label)}: {problem}") from None


def validate(model: type[Model], data: Any, node: yaml.Node | None, label: str) -> Model:
    """Validate data against a model; all problems become one ConfigError, a line each."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{label}:1:1: expected a mapping of keys to values")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        lines = [_describe(model, item, node, label) for item in error.errors()]
        raise ConfigError(*lines) from None


def load_model(model: type[Model], path: Path, label: str) -> Model:
    """Load and validate one YAML file."""
    data, node = load_yaml(path, label)
    return validate(model, data, node, label)


def locate(node: yaml.Node | None, loc: tuple[Any, ...], label: str) -> str:
    """'file:line:col' of the YAML node at a key path, or just the file when unknown."""
    found = _node_at(node, loc)
    return f"{label}:{found.start_mark.line + 1}:{found.start_mark.column + 1}" if found else label


def _describe(model: type[BaseModel], item: Any, node: yaml.Node | None, label: str) -> str:
    loc = _as_written(node, _without_union_tags(tuple(item["loc"])))
    key_path = ".".join(str(part) for part in loc)
    where = locate(node, loc, label)
    message = item["msg"].removeprefix("Value error, ")
    if item["type"] == "extra_forbidden":
        valid = _fields_at(model, tuple(item["loc"])[:-1])
        message = f"unknown field '{loc[-1]}'" + (f"; valid fields: {', '.join(valid)}" if valid else "")
    elif item["type"] == "union_tag_invalid":
        message = f"unknown section '{item['input'].get('kind')}'; valid sections: {', '.join(SECTION_KINDS)}"
    elif item["type"] == "union_tag_not_found":
        message = f"missing 'kind'; valid sections: {', '.join(SECTION_KINDS)}"
    return f"{where}: {key_path}: {message}" if key_path else f"{where}: {message}"


def _without_union_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The location without the section kind pydantic inserts after `sections.N` (its union tag)."""
    return tuple(part for index, part in enumerate(loc)
                 if not (index >= 2 and loc[index - 2] == "sections" and isinstance(loc[index - 1], int)
                         and part in SECTION_KINDS))


def _as_written(node: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The location cut at a plain value the YAML holds where the model reads a mapping (a glob written as a
    string is `sources.0`, not `sources.0.files`)."""
    for depth, part in enumerate(loc):
        if isinstance(node, yaml.ScalarNode):
            return loc[:depth]
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return loc


def _node_at(node: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """Follow a pydantic error location through the YAML node tree; the deepest node found."""
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    # An unknown key is best pointed at by the key itself.
                    child = key if part == loc[-1] else value
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            return node
        node = child
    return node


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The valid field names of the model found by following `loc` from `model`."""
    current = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int) or current is None:
            continue
        if isinstance(current, list):  # a discriminated union: pick the member by its tag
            current = next((m for m in current if part in typing.get_args(m.model_fields["kind"].annotation)), None)
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field_info = current.model_fields.get(part)
            current = field_info.annotation if field_info else None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional, list[...] and Annotated down to a model class where there is one."""
    for _ in range(4):
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, Union) or str(origin) == "types.UnionType":
            models = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = models[0] if len(models) == 1 else models
        else:
            break
    return annotation
