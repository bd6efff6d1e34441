"""The hand-annotated dev-set incident gold is well-formed, and its evidence is found in the texts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks import score_incidents as si

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "benchmarks" / "devset_incidents" / "gold.yaml"
# ../shared/devset beside the checkout; BRIEFGEN_DEVSET names it where the checkout lives elsewhere (a worktree)
DEVSET = Path(os.environ.get("BRIEFGEN_DEVSET") or REPO.parent / "shared" / "devset")

TAXONOMY = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Attack", "Abduction/forced disappearance", "Sexual violence"},
    "Protests": {"Peaceful protest", "Protest with intervention"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory", "Other"},
}


@pytest.fixture(scope="module")
def gold() -> tuple[list[str], list[dict[str, Any]]]:
    """The documents and incidents of the dev-set gold."""
    return si.load_gold(GOLD)


def test_covers_all_28_texts(gold: tuple[list[str], list[dict[str, Any]]]) -> None:
    docs, incidents = gold
    assert len(docs) == 28
    assert {i["doc"] for i in incidents} <= set(docs)


def test_fields_follow_the_rules(gold: tuple[list[str], list[dict[str, Any]]]) -> None:
    for item in gold[1]:
        assert item["sub_event_type"] in TAXONOMY[item["event_type"]], item
        assert si.norm_date(item["event_date"]) == item["event_date"], item
        assert item["location"] and isinstance(item.get("location_alt"), list), item
        low, high = item["fatalities_low"], item["fatalities_high"]
        assert low is None or (isinstance(low, int) and (high is None or high >= low)), item
        assert 0 < len(item["evidence"].split()) <= 12, item


def test_perfect_restatement_scores_one(gold: tuple[list[str], list[dict[str, Any]]]) -> None:
    docs, incidents = gold
    preds = [dict(i, fatalities=i["fatalities_low"]) for i in incidents]
    report = si.score(docs, incidents, preds)
    assert report["detection"]["f1"] == 1.0
    assert all(value == 1.0 for value in report["accuracy"].values())


def test_evidence_is_in_the_text(gold: tuple[list[str], list[dict[str, Any]]]) -> None:
    if not (DEVSET / "texts").is_dir():
        pytest.skip("../shared/devset is not present")
    for item in gold[1]:
        text = (DEVSET / "texts" / f"{item['doc']}.txt").read_text(encoding="utf-8")
        assert item["evidence"] in text, item
