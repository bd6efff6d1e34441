"""Ingest: formats, front matter, reflow, page leftovers, stable ids, unusable files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.ingest import (
    SkippedSourceError,
    SourceFiles,
    drop_leftovers,
    find_sources,
    read_document,
    read_sources,
    reflow,
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_markdown_front_matter_gives_metadata_and_plain_text(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\ntitle: Strikes in Anbar\npublished: 2025-03-04\nurl: https://example.org/a\n"
                 "outlet: Tigris Wire\n---\n\n# Heading\n\nJets hit **three** hideouts near\nRutba.\n")
    document = read_document(path, tmp_path)
    assert (document.title, document.published, document.outlet) == ("Strikes in Anbar", "2025-03-04", "Tigris Wire")
    assert document.url == "https://example.org/a"
    assert document.text == "Heading\n\nJets hit three hideouts near Rutba."
    assert document.path == "a.md"


def test_month_precision_published_is_kept(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "a.md", "---\npublished: 2025-08\n---\nText here.\n"), tmp_path)
    assert document.published == "2025-08"


def test_hard_wrapped_text_is_reflowed_and_one_line_paragraphs_kept() -> None:
    wrapped = "More than a decade after the\ncoalition was formed, Iraq is\nentering a new phase.\n\nNext one."
    assert reflow(wrapped) == [
        "More than a decade after the coalition was formed, Iraq is entering a new phase.", "Next one."]
    long_lines = "A heading\n" + "x " * 80 + "end.\n" + "y " * 80 + "end."
    assert len(reflow(long_lines)) == 3


def test_page_leftovers_are_dropped_with_everything_after_the_trailer() -> None:
    paragraphs = ["Real text.", "Share this:", "Facebook", "More text.", "Visited 1 times, 1 visit(s) today",
                  "Recommended For You", "Another story"]
    assert drop_leftovers(paragraphs) == ["Real text.", "More text."]


def test_html_keeps_the_article_and_drops_navigation(tmp_path: Path) -> None:
    page = """<html><head><title>Camp returns resume</title>
    <meta property="article:published_time" content="2025-11-18T09:40:00+03:00">
    <meta property="og:site_name" content="Euphrates Dispatch"></head><body>
    <nav><a href="/">Home</a> <a href="/iraq">Iraq news</a> <a href="/syria">Syria news</a></nav>
    <article><h1>Camp returns resume</h1>
    <p>Officials said on Tuesday that another convoy of families left the camp for Iraq, the sixth this year.</p>
    <p>The camp administration said roughly 41,000 people remain, most of them women and children.</p>
    </article><aside><h3>Most read</h3><ul><li>Unrelated story about football</li></ul></aside>
    <footer>All rights reserved.</footer></body></html>"""
    document = read_document(write(tmp_path, "a.html", page), tmp_path)
    assert "another convoy of families" in document.text
    assert "41,000 people remain" in document.text
    assert "Home" not in document.text and "football" not in document.text
    assert document.outlet == "Euphrates Dispatch"
    assert document.published == "2025-11-18"


def test_id_is_a_content_hash(tmp_path: Path) -> None:
    first = read_document(write(tmp_path, "a.txt", "Same words."), tmp_path)
    second = read_document(write(tmp_path, "b.txt", "Same words."), tmp_path)
    changed = read_document(write(tmp_path, "c.txt", "Other words."), tmp_path)
    assert first.id == second.id != changed.id


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    (b"caf\xe9 au lait", "not UTF-8"),
    (b"---\ntitle: [unclosed\n---\nBody.", "front matter: expected ',' or ']'"),
    (b"---\npublished: yesterday\n---\nBody.", "published: expected YYYY-MM-DD or YYYY-MM"),
    (b"---\nauthor: me\n---\nBody.", "unknown field 'author'"),
])
def test_unusable_sources_are_skipped_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path, "bad.md", content)
    with pytest.raises(SkippedSourceError, match=reason):
        read_document(path, tmp_path)
    result = read_sources([path, write(tmp_path, "good.txt", "Fine text.")], tmp_path)
    assert len(result.documents) == 1
    assert result.skipped[0].startswith("bad.md:")


def test_many_sources_are_read_in_worker_processes_as_they_would_be_one_by_one(tmp_path: Path) -> None:
    import briefgen.ingest

    count = 2 * briefgen.ingest.PARALLEL_FROM + 3
    paths = [write(tmp_path, f"{number:04d}.md", f"---\ntitle: Report {number}\npublished: 2025-03-04\n---\n\n"
                   f"Jets hit **{number}** hideouts near\nRutba.\n") for number in range(count)]
    paths[7] = write(tmp_path, "0007.md", b"---\nauthor: me\n---\nBody.")
    paths[300] = write(tmp_path, "0300.md", b"\xff\xfe not text")
    read: list[None] = []
    together = read_sources(paths, tmp_path, on_read=lambda: read.append(None))
    alone = [read_sources([path], tmp_path) for path in paths]
    assert len(read) == count
    assert together.documents == [document for result in alone for document in result.documents]
    assert together.skipped == [line for result in alone for line in result.skipped] == [
        "0007.md:2:1: front matter: unknown field 'author'; valid: title, published, url, outlet, releasable, tags, "
        "grade, language, fetched", "0300.md: not UTF-8 text (byte 0)"]


def test_find_sources_filters_suffixes_and_sorts(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", "c.pdf.bak", "d.html"):
        write(tmp_path, name, "x")
    assert [path.name for path in find_sources(tmp_path, ["*", "*.md"])] == ["a.txt", "b.md", "d.html"]


def test_source_files_walk_each_glob_once_and_keep_what_they_found(tmp_path: Path) -> None:
    for folder in ("a", "a-b"):
        (tmp_path / folder).mkdir()
    for name in ("a/b.md", "a-b/c.md", "a/x.txt", "a/y.xlsx", "z.md"):
        write(tmp_path, name, "x")
    files = SourceFiles(tmp_path)
    found = files.sources(["**/*.md", "*/*"])
    assert found == sorted(set(tmp_path.glob("**/*.md")) | {tmp_path / "a/x.txt"})  # Path's order: a/ before a-b/
    assert files.source_names(["*/*"]) == {"a/b.md", "a-b/c.md", "a/x.txt"}
    assert files.unsupported(["*/*"]) == ["a/y.xlsx: not a kind of source briefgen reads (.xlsx); it reads "
                                          ".txt, .md, .markdown, .html, .htm, .pdf, .docx"]
    write(tmp_path, "a/new.md", "x")
    assert files.sources(["**/*.md", "*/*"]) == found  # walked once: the files as the build first found them
    assert tmp_path / "a/new.md" in SourceFiles(tmp_path).sources(["**/*.md"])


def test_a_build_walks_each_source_glob_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.projects import build, make_project

    root = make_project(tmp_path / "desk")
    walked: list[str] = []
    glob = Path.glob

    def counted_glob(path: Path, pattern: str) -> Iterator[Path]:
        walked.append(pattern)
        return glob(path, pattern)

    monkeypatch.setattr(Path, "glob", counted_glob)
    assert build(root, "--format", "html").exit_code == 0
    assert walked.count("sources/*") == 1


def test_shafaq_article_is_reflowed_and_cleaned(corpus: Path) -> None:
    document = read_document(corpus / "after-us-withdrawal-isis-resurgence.txt")
    assert document.title == "After US withdrawal: Why experts warn of an ISIS resurgence in Iraq"
    assert "US-led Global Coalition was formed" in document.text
    assert "Visited 1 times" not in document.text and "About the Author" not in document.text
    assert "\nCoalition was formed" not in document.text


def test_files_of_kinds_briefgen_does_not_read_are_skipped_by_name(tmp_path: Path) -> None:
    from tests.projects import build, make_project

    root = make_project(tmp_path / "desk")
    (root / "sources/budget.xlsx").write_bytes(b"PK\x03\x04")
    (root / "sources/field-notes.odt").write_bytes(b"PK\x03\x04")
    (root / "sources/.gitkeep").write_text("")
    (root / "sources/gone.pdf.meta.yaml").write_text("title: A report since removed\n")
    (root / "sources/2025-03-02-border-post.md.meta.yaml").write_text("outlet: Desk Wire\n")
    result = build(root, "--format", "html")
    assert result.exit_code == 0
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    kinds = ".txt, .md, .markdown, .html, .htm, .pdf, .docx"
    assert skipped == [
        f"skipped: sources/budget.xlsx: not a kind of source briefgen reads (.xlsx); it reads {kinds}",
        f"skipped: sources/field-notes.odt: not a kind of source briefgen reads (.odt); it reads {kinds}",
        "skipped: sources/gone.pdf.meta.yaml: a sidecar of gone.pdf, which is not there"]
    assert "2 sources (2 extracted, 0 unchanged, 3 skipped)" in result.output
