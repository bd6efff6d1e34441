"""The changes since the last edition: a date moves when a planned happening's date slipped, not when something
done once more at the same place is reported on another day."""

from __future__ import annotations

import datetime as dt

from briefgen.assemble.changes import PreviousEdition, changes
from briefgen.assemble.citations import Citer
from briefgen.assemble.sections import SectionInput
from briefgen.config import ChangesSection as ChangesConfig
from briefgen.config import Gazetteer
from briefgen.extract import Extractor, merge_facts
from briefgen.facts import Document

BEFORE = ("The coalition will withdraw its troops from Kirkuk by September 2025, officials said. "
          "The army deployed 300 soldiers to Kirkuk on 3 May 2025.")
AFTER = ("The coalition will now withdraw its troops from Kirkuk by September 2026, officials said. "
         "The army deployed 200 soldiers to Kirkuk on 9 June 2025.")


def test_a_slipped_deadline_moved_and_another_deployment_is_new() -> None:
    old, new = (Document(id=doc_id, path=f"{doc_id}.md", text=text, published=published, outlet="Wire")
                for doc_id, text, published in (("d1", BEFORE, "2025-05-04"), ("d2", AFTER, "2025-06-10")))
    extractor = Extractor(Gazetteer())
    old_facts, new_facts = list(extractor.extract([old])), list(extractor.extract([new]))
    data = SectionInput(merge_facts(new_facts), Citer([new], new_facts), dt.date(2025, 6, 11), None, graphics=False)
    section = changes("Changes", ChangesConfig(kind="changes"), PreviousEdition(1, "2025-05-05", [old], old_facts),
                      data, {}, [])
    assert [(entry.old_label, entry.new_label, entry.kind) for entry in section.timeline_moved] == [
        ("September 2025", "September 2026", "withdrawal")]
    assert [(entry.date_label, entry.kind) for entry in section.timeline_added] == [("9 June 2025", "deployment")]
