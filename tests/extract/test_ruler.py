"""The gazetteer's entity ruler: names match in any case, acronyms only as written."""

from __future__ import annotations

from briefgen.config import Gazetteer, KnownActor, KnownPlace
from briefgen.extract.pipeline import build_nlp


def test_names_match_in_any_case_and_acronyms_only_as_written() -> None:
    nlp = build_nlp(Gazetteer(
        actors=[KnownActor(name="Islamic State", kind="organization", aliases=["ISIS", "IS"])],
        places=[KnownPlace(name="Ain al-Asad Air Base", kind="base", aliases=["Ain al-Asad"])],
    ))
    doc = nlp("The ISLAMIC STATE said it is near AIN AL-ASAD air base. Islamic state fighters, ISIS and IS, "
              "were seen; isis is a word too.")
    found = [(ent.text, ent.ent_id_) for ent in doc.ents if ent.ent_id_]
    assert found == [("ISLAMIC STATE", "islamic-state"), ("AIN AL-ASAD air base", "ain-al-asad-air-base"),
                     ("Islamic state", "islamic-state"), ("ISIS", "islamic-state"), ("IS", "islamic-state")]
