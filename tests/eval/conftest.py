"""Fixtures for `briefgen eval`: two small documents, their gold, and one Extractor per session."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefgen.config import Gazetteer, load_model
from briefgen.extract import Extractor

GAZETTEER = """\
actors:
  - name: Islamic State
    kind: organization
    aliases: [ISIS, Daesh]
  - name: Joint Operations Command
    kind: organization
    aliases: [JOC]
places:
  - {name: Iraq, kind: country}
  - {name: Baghdad, kind: city}
  - {name: Kirkuk, kind: city}
  - {name: Ain al-Asad Air Base, kind: base, aliases: [Ain al-Asad]}
  - {name: Hamrin Mountains, kind: region, aliases: [Hamrin]}
roles: [security analyst, interior minister]
"""

DOCUMENT_A = """\
---
title: ISIS cells regroup in the Hamrin Mountains
published: 2025-08-10
---

Security analyst Omar Haddad said the Islamic State still has roughly 1,000 fighters in Iraq. "The cells are \
small but patient," Haddad told reporters in Baghdad.

Iraqi forces killed 12 ISIS militants in the Hamrin Mountains on 3 August 2025. The coalition will leave \
Ain al-Asad Air Base by September 2025, according to the Joint Operations Command.
"""

# No front matter: the gold's `published` is the reference for "on Monday" and "last week".
DOCUMENT_B = """\
Interior Minister Abdul Amir al-Shammari said on Monday that 40 ISIS suspects had been arrested in Kirkuk.

The Joint Operations Command said the arrests followed an attack last week that killed two soldiers near Hawija.
"""

GOLD_A: dict[str, Any] = {
    "document": "../docs/a.md",
    "actors": [
        {"name": "Omar Haddad", "kind": "person", "aliases": ["Haddad"], "role": "security analyst"},
        {"name": "Islamic State", "kind": "organization", "aliases": ["ISIS"]},
        {"name": "Joint Operations Command", "kind": "organization"},
        {"name": "coalition", "kind": "organization"},  # "The coalition will leave": a definite organization
    ],
    "places": [{"name": "Iraq"}, {"name": "Baghdad"}, {"name": "Hamrin Mountains"}, {"name": "Ain al-Asad Air Base"}],
    "quotes": [
        {"text": "the Islamic State still has roughly 1,000 fighters in Iraq", "speaker": "Omar Haddad",
         "direct": False},
        {"text": "The cells are small but patient", "speaker": "Haddad"},
        {"text": "The coalition will leave Ain al-Asad Air Base by September 2025",
         "speaker": "Joint Operations Command", "direct": False},
    ],
    "events": [
        {"text": "Iraqi forces killed 12 ISIS militants", "date": "2025-08-03", "planned": False},
        {"text": "will leave Ain al-Asad Air Base", "date": "2025-09", "planned": True},
    ],
    "quantities": [
        {"text": "roughly 1,000", "low": 1000, "high": 1000, "subject": "fighters"},
        {"text": "12", "low": 12, "high": 12, "subject": "militants"},
    ],
}

GOLD_B: dict[str, Any] = {
    "document": "../docs/b.txt",
    "published": "2025-03-12",
    "actors": [
        {"name": "Abdul Amir al-Shammari", "kind": "person", "role": "Interior Minister"},
        {"name": "Islamic State", "kind": "organization", "aliases": ["ISIS"]},
        {"name": "Joint Operations Command", "kind": "organization"},
    ],
    "places": [{"name": "Kirkuk"}, {"name": "Hawija"}],
    "quotes": [
        {"text": "40 ISIS suspects had been arrested in Kirkuk", "speaker": "Abdul Amir al-Shammari",
         "direct": False},
        {"text": "the arrests followed an attack last week that killed two soldiers near Hawija",
         "speaker": "Joint Operations Command", "direct": False},
    ],
    "events": [
        {"text": "said on Monday", "date": "2025-03-10", "planned": False},
        {"text": "an attack last week that killed two soldiers", "date": "2025-03", "planned": False},
    ],
    "quantities": [
        {"text": "40", "low": 40, "high": 40, "subject": "suspects"},
        {"text": "two", "low": 2, "high": 2, "subject": "soldiers"},
    ],
}


@pytest.fixture(scope="session")
def gazetteer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tests' gazetteer as a YAML file (for --gazetteer)."""
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.yaml"
    path.write_text(GAZETTEER, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def extractor(gazetteer_file: Path) -> Extractor:
    """The Extractor, loaded once (loading spaCy is the slow part)."""
    return Extractor(load_model(Gazetteer, gazetteer_file, "gazetteer.yaml"))


@pytest.fixture
def golds() -> dict[str, dict[str, Any]]:
    """Fresh copies of the two gold files' data, keyed by file name, for a test to change."""
    return {"a": copy.deepcopy(GOLD_A), "b": copy.deepcopy(GOLD_B)}


@pytest.fixture
def write_gold(tmp_path: Path) -> Callable[..., Path]:
    """write_gold({"a": data, ...}) writes docs/ and gold/NAME.yaml under tmp_path; returns the gold folder."""

    def _write(golds: dict[str, dict[str, Any]]) -> Path:
        docs, gold = tmp_path / "docs", tmp_path / "gold"
        docs.mkdir(exist_ok=True)
        gold.mkdir(exist_ok=True)
        (docs / "a.md").write_text(DOCUMENT_A, encoding="utf-8")
        (docs / "b.txt").write_text(DOCUMENT_B, encoding="utf-8")
        for name, data in golds.items():
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
            (gold / f"{name}.yaml").write_text(text, encoding="utf-8")
        return gold

    return _write
