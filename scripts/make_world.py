"""Build briefgen/extract/data/world.json: every country with its names, demonyms and capital.

    pip install countryinfo && python scripts/make_world.py

Sources: countryinfo (MIT; its data: names, alternative spellings, demonyms, capitals, coordinates,
first-level regions) and briefgen/extract/data/world_extras.yaml (the short forms news writing uses:
"U.S.", "Britain", "Emirati" ...). Only Latin-script names are kept; ISO codes are dropped unless the
extras list them, because "NE" or "TD" in running text is never a country.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from countryinfo import all_countries

DATA = Path(__file__).resolve().parents[1] / "briefgen" / "extract" / "data"
_CODE = re.compile(r"^[A-Z]{2,3}$")
_QUALIFIED = re.compile(r"\s*\(.*\)\s*$")


def latin(text: str) -> bool:
    """Latin letters (diacritics allowed), no other script."""
    return all(not char.isalpha() or unicodedata.name(char, "").startswith("LATIN") for char in text)


def names(country: dict[str, Any]) -> list[str]:
    """The country's name and its usable alternative spellings."""
    found = [country["name"]]
    for spelling in country.get("altSpellings") or []:
        spelling = spelling.strip()
        if spelling and latin(spelling) and not _CODE.match(spelling) and "," not in spelling:
            found.append(spelling)
    return list(dict.fromkeys(found))


def demonyms(country: dict[str, Any]) -> list[str]:
    """The country's demonyms ("Bosnian,Herzegovinian" is two)."""
    return [part.strip() for part in (country.get("demonym") or "").split(",") if part.strip()]


def regions(country: dict[str, Any]) -> list[str]:
    """First-level regions, without parenthesised seats: "Adygeya (Maykop)" is "Adygeya"."""
    return sorted({_QUALIFIED.sub("", region).strip() for region in country.get("provinces") or []
                   if latin(region)} - {""})


def capital_of(country: dict[str, Any]) -> str | None:
    """The capital as one name (countryinfo lists some countries' several seats)."""
    capital = country.get("capital")
    if isinstance(capital, list):
        capital = capital[0] if capital else None
    return capital or None


def entry(country: dict[str, Any], extras: dict[str, Any]) -> dict[str, Any]:
    """One country of world.json, with the extras for it merged in."""
    added = extras.get(country["name"], {})
    capital = added.get("capital", capital_of(country))
    lat, lon = (country.get("latlng") or [None, None])[:2]
    return {
        "name": added.get("name", country["name"]),
        "iso2": country["ISO"]["alpha2"],
        "names": [name for name in dict.fromkeys([*names(country), *added.get("names", [])])
                  if name not in added.get("not_names", [])],
        "demonyms": list(dict.fromkeys([*demonyms(country), *added.get("demonyms", [])])),
        "capital": capital,
        "capital_names": list(dict.fromkeys(name for name in [capital, *added.get("capital_names", [])] if name)),
        "lat": lat,
        "lon": lon,
        "regions": regions(country),
    }


def swap_misplaced_regions(entries: list[dict[str, Any]]) -> None:
    """countryinfo gives the two Congos each other's provinces: where each country's regions hold the
    other's capital, swap them."""
    holder = {region: item["iso2"] for item in entries for region in item["regions"]}
    by_code = {item["iso2"]: item for item in entries}
    for item in entries:
        other = by_code.get(holder.get(item["capital"] or "", ""))
        if other is not None and other is not item and holder.get(other["capital"] or "") == item["iso2"]:
            item["regions"], other["regions"] = other["regions"], item["regions"]
            holder.update({region: item["iso2"] for region in item["regions"]})
            holder.update({region: other["iso2"] for region in other["regions"]})


def main() -> None:
    """Write world.json from countryinfo and world_extras.yaml."""
    extras = yaml.safe_load((DATA / "world_extras.yaml").read_text(encoding="utf-8"))["countries"]
    countries = [country.info() for country in all_countries()]
    countries = [country for country in countries if country.get("ISO") and country.get("name")]
    by_code: dict[str, dict[str, Any]] = {}
    for country in countries:  # Wales shares the United Kingdom's code: the entry with a capital wins
        code = country["ISO"]["alpha2"]
        if code not in by_code or (capital_of(country) and not by_code[code]["capital"]):
            by_code[code] = entry(country, extras)
    swap_misplaced_regions(list(by_code.values()))
    unknown = sorted(set(extras) - {country["name"] for country in countries})
    if unknown:
        raise SystemExit(f"world_extras.yaml names countries countryinfo lacks: {', '.join(unknown)}")
    world = {"source": "countryinfo (MIT) and world_extras.yaml; see WORLD.md",
             "countries": sorted(by_code.values(), key=lambda item: item["name"])}
    (DATA / "world.json").write_text(json.dumps(world, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(world['countries'])} countries to {DATA / 'world.json'}")


if __name__ == "__main__":
    main()
