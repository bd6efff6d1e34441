"""The data export: a year of facts written in batches, whole, and copied for an audience seeing the same ones; by
a thread of its own that leaves no file half-written when writing fails or the build does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefgen.assemble.data_export import ExportInput, ExportWriter
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
    with ExportWriter() as exports:
        exports.write(export_input("analyst", documents, facts), first)
        exports.write(export_input("executive", documents, facts), second)
    analyst, executive = (json.loads(path.read_text(encoding="utf-8")) for path in (first, second))
    assert [item["id"] for item in analyst["quantities"]] == [f"q{number}" for number in range(FIGURES)]
    assert analyst["quantities"][4_097] == {**analyst["quantities"][4_097], "low": 4097, "doc": "d2",
                                            "subject": "people killed — «café»"}
    assert [item["id"] for item in analyst["documents"]] == ["d0", "d1", "d2"]
    assert analyst["actors"] == analyst["events"] == [] and "text" not in analyst["documents"][0]
    assert executive["brief"]["audience"] == "executive" and analyst["brief"]["audience"] == "analyst"
    assert {key: value for key, value in executive.items() if key != "brief"} == {
        key: value for key, value in analyst.items() if key != "brief"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["analyst.facts.json", "executive.facts.json"]


def _figures(count: int) -> tuple[list[Document], FactSet]:
    documents = [Document(id="d0", path="sources/0.md", text="12 killed.")]
    return documents, FactSet(quantities=[Quantity(id=f"q{number}", text="12 killed", low=12, high=12, doc="d0",
                                                   start=0, end=9, subject="people killed") for number in range(count)])


def test_a_failed_write_is_raised_and_leaves_no_file(tmp_path: Path) -> None:
    documents, facts = _figures(FIGURES)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the export's folder should be", encoding="utf-8")
    with pytest.raises(OSError), ExportWriter() as exports:
        exports.write(export_input("analyst", documents, facts), blocked / "analyst.facts.json")
    assert [path.name for path in tmp_path.iterdir()] == ["blocked"]


class _Interrupted(list):  # type: ignore[type-arg]
    """Facts whose reading is interrupted part-way (Ctrl-C while the export is made)."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        for number, item in enumerate(list.__iter__(self)):
            if number == 3 * 2048:
                raise KeyboardInterrupt
            yield item


def test_a_build_stopped_while_an_export_is_made_leaves_none_half_written(tmp_path: Path) -> None:
    documents, facts = _figures(FIGURES)
    _, stopping = _figures(FIGURES * 2)
    stopping.quantities = _Interrupted(stopping.quantities)
    with pytest.raises(KeyboardInterrupt), ExportWriter() as exports:
        exports.write(export_input("analyst", documents, facts), tmp_path / "analyst.facts.json")
        exports.write(export_input("public", documents, stopping), tmp_path / "public.facts.json")
    left = [path.name for path in tmp_path.iterdir()]  # the first, if written before the build stopped; no part
    assert left in ([], ["analyst.facts.json"])
    for name in left:
        assert json.loads((tmp_path / name).read_text(encoding="utf-8"))["brief"]["audience"] == "analyst"
