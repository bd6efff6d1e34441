"""One bad source is skipped, named and counted; it never aborts a build, and nothing it holds outlives it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from briefgen.ingest import SkippedSourceError, read_document, read_sources
from tests.projects import SOURCES, build, make_project, write
from tests.robustness.test_bad_config import BOMB

FRONT = "---\ntitle: T\npublished: {date}\n---\nSoldiers patrolled the town.\n"


@pytest.mark.parametrize("date", ["2025-09-31", "2025-13-01", "0000-01-01", "2025-02-29", "99999-01-01",
                                  "2025-00", "yesterday"])
def test_an_impossible_published_date_skips_the_source_with_its_line(tmp_path: Path, date: str) -> None:
    path = write(tmp_path, "bad.md", FRONT.format(date=date))
    with pytest.raises(SkippedSourceError) as raised:
        read_document(path, tmp_path)
    assert raised.value.located("bad.md").startswith("bad.md:3:1: front matter: published:")


def test_bad_sources_never_stop_a_build(tmp_path: Path) -> None:
    sources: dict[str, str | bytes] = dict(SOURCES)
    sources |= {
        "sources/date.md": FRONT.format(date="2025-09-31"),
        "sources/hour.md": FRONT.format(date="2025-09-29T24:61:00"),
        "sources/bomb.md": "---\n" + BOMB + "---\nBody.\n",
        "sources/broken.md": "---\ntitle: [unclosed\n---\nBody.\n",
        "sources/latin1.txt": b"caf\xe9 au lait",
        "sources/nobody.html": "<html><head><title>x</title></head></html>",
        "sources/frames.html": "<html><frameset><frame src='x'></frameset><body></body><body></body></html>",
        "sources/big.txt": "Word " * 3000,
    }
    project = make_project(tmp_path, sources=sources, settings_extra="limits:\n  text_characters: 10000\n")
    started = time.perf_counter()
    result = build(project, "--format", "html")
    assert time.perf_counter() - started < 120
    assert result.exit_code == 0, result.output
    skipped = re.findall(r"skipped: (\S+?):", result.output)
    for name in ("date.md", "bomb.md", "broken.md", "latin1.txt", "big.txt"):
        assert f"sources/{name}" in skipped, result.output
    assert "limits.text_characters" in result.output
    assert re.search(r"\d+ sources \(.*\d+ skipped\)", result.output)
    assert (project / "output/desk/latest/analyst.html").is_file()


def test_an_impossible_date_in_the_text_does_not_poison_later_builds(tmp_path: Path) -> None:
    sources: dict[str, str | bytes] = dict(SOURCES)
    sources["sources/feb.md"] = ("---\ntitle: T\npublished: 2026-03-01\n---\n"
                                 "Militants attacked a convoy on 31 February 2026, officials said. "
                                 "Officials counted " + "9" * 400 + " rounds.\n")
    timeline = "  - kind: withdrawal_timeline\n    event_kinds: [attack, withdrawal, other]\n  - kind: key_figures\n"
    project = make_project(tmp_path, sources=sources)
    brief = project / "config/briefs/desk.yaml"
    brief.write_text(brief.read_text().replace("  - kind: sources\n", timeline + "  - kind: sources\n"))
    first = build(project)
    assert first.exit_code == 0, first.output
    again = build(project)
    assert again.exit_code == 0, again.output


def test_a_string_false_keeps_a_source_out_of_releasable_editions(tmp_path: Path) -> None:
    sources: dict[str, str | bytes] = dict(SOURCES)
    sources["sources/restricted.md"] = ("---\ntitle: Restricted field report\npublished: 2025-03-04\n"
                                        'releasable: "false"\n---\nA patrol found a cache near Menaka.\n')
    sources["sources/unclear.md"] = ("---\ntitle: Unclear field report\npublished: 2025-03-04\n"
                                     "releasable: maybe\n---\nA patrol found a second cache near Menaka.\n")
    project = make_project(tmp_path, sources=sources)
    result = build(project, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "sources/unclear.md: front matter: releasable: 'maybe' is not true or false" in result.output
    # Each audience's data export lists every source it drew on (its page lists only those it cites).
    public = (project / "output/desk/latest/public.facts.json").read_text()
    analyst = (project / "output/desk/latest/analyst.facts.json").read_text()
    assert "Restricted field report" in analyst and "Unclear field report" in analyst
    assert "Restricted field report" not in public and "Unclear field report" not in public
    assert "Restricted field report" not in (project / "output/desk/latest/public.html").read_text()


def test_size_limits_are_checked_before_reading(tmp_path: Path) -> None:
    from briefgen.config import SourceLimits

    path = write(tmp_path, "huge.txt", "x" * 5000)
    limits = SourceLimits(source_bytes=1024)
    result = read_sources([path], tmp_path, limits)
    assert result.skipped == ["huge.txt: 5,000 bytes; the limit is 1,024 (limits.source_bytes in config/briefgen.yaml)"]
    big_front = write(tmp_path, "front.md", "---\ntitle: " + "x" * 70_000 + "\n---\nBody.\n")
    assert "front matter is over" in read_sources([big_front], tmp_path).skipped[0]


def test_a_source_linking_out_of_the_project_is_skipped(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.md", "SECRET-CONTENT")
    project = make_project(tmp_path / "project")
    (project / "sources/link.md").symlink_to(outside)
    result = read_sources([project / "sources/link.md"], project)
    assert result.skipped == ["sources/link.md: links to a file outside the project; copy the file into the project"]


def test_long_metadata_is_cut(tmp_path: Path) -> None:
    path = write(tmp_path, "long.md", "---\ntitle: " + "T" * 60_000 + "\noutlet: " + "O" * 500 + "\n---\nBody.\n")
    document = read_document(path, tmp_path)
    assert document.title is not None and len(document.title) == 300 and document.title.endswith("…")
    assert document.outlet is not None and len(document.outlet) == 120
