"""The data export: a year of facts written in batches, whole, and copied for an audience seeing the same ones."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from briefgen.assemble.data_export import ExportInput, write_edition_export
from briefgen.assemble.views import AudienceView, BriefView
from briefgen.facts import Document, FactSet, Quantity

FIGURES = 5_003  # more than two of the writer's batches, and not a multiple of one


def export_input(audience: str, documents: list[Document], facts: FactSet) -> ExportInput:
    view = BriefView(
        name="desk", title="Desk brief", subtitle=None,
        audience=AudienceView(name=audience, label=audience, marking=None, citations=True),
        build_date=dt.date(2026, 3, 2), generated_at="2 March 2026 06:00 UTC", producer="Desk", contact=None,
        period_start=None, period_end=None, page_size="A4", sections=[], sources=[],
    )
    return ExportInput(view=view, numbers={}, documents=documents, facts=facts, releasable_only=False,
                       max_citations=3, max_pages=None, dropped_to_fit=[])


def test_every_fact_is_written_once_in_order_and_copied_whole_for_another_audience(tmp_path: Path) -> None:
    documents = [Document(id=f"d{number}", path=f"sources/{number}.md", text="Café: 12 killed.") for number in range(3)]
    figures = [Quantity(id=f"q{number}", text=f"{number} killed", low=number, high=number, doc=f"d{number % 3}",
                        start=6, end=15, subject="people killed — «café»") for number in range(FIGURES)]
    facts = FactSet(quantities=figures)
    first, second = tmp_path / "analyst.facts.json", tmp_path / "executive.facts.json"
    with first.open("wb") as handle:
        written = write_edition_export(export_input("analyst", documents, facts), handle, first)
    with second.open("wb") as handle:
        write_edition_export(export_input("executive", documents, facts), handle, second, written)
    analyst, executive = (json.loads(path.read_text(encoding="utf-8")) for path in (first, second))
    assert [item["id"] for item in analyst["quantities"]] == [f"q{number}" for number in range(FIGURES)]
    assert analyst["quantities"][4_097] == {**analyst["quantities"][4_097], "low": 4097, "doc": "d2",
                                            "subject": "people killed — «café»"}
    assert [item["id"] for item in analyst["documents"]] == ["d0", "d1", "d2"]
    assert analyst["actors"] == analyst["events"] == [] and "text" not in analyst["documents"][0]
    assert executive["brief"]["audience"] == "executive" and analyst["brief"]["audience"] == "analyst"
    assert {key: value for key, value in executive.items() if key != "brief"} == {
        key: value for key, value in analyst.items() if key != "brief"}
