"""The HTML carries its own font: Source Sans Pro, subset to the page's characters, as WOFF2 data: URLs."""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from briefgen import fonts
from briefgen.project import load_project
from briefgen.render import Renderer
from tests.render.test_render import view

FACE = re.compile(r'@font-face \{ font-family: "Source Sans Pro"; '
                  r'src: url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\) format\("woff2"\); '
                  r'font-weight: (\d+); font-style: (\w+);')


def embedded_faces(page: str) -> dict[tuple[int, str], TTFont]:
    """The fonts a page embeds, by weight and style, decoded from their data: URLs."""
    return {(int(weight), style): TTFont(io.BytesIO(base64.b64decode(data)))
            for data, weight, style in FACE.findall(page)}


def test_html_embeds_regular_italic_and_bold_as_woff2(example_project: Path) -> None:
    page = Renderer(load_project(example_project)).html(view(quote="Café ‘calm’ — naïve"))
    faces = embedded_faces(page)
    assert set(faces) == {(400, "normal"), (400, "italic"), (700, "normal")}
    for font in faces.values():
        assert font.flavor == "woff2"
        assert font["name"].getDebugName(1) == "Source Sans Pro"


def test_each_face_is_cut_to_the_page_characters(example_project: Path) -> None:
    page = Renderer(load_project(example_project)).html(view(quote="Café ‘calm’ — naïve"))
    whole = set(TTFont(fonts.HTML_FACES[0].path).getBestCmap())
    used = {ord(c) for c in html.unescape(page)} & whole
    for font in embedded_faces(page).values():
        cmap = set(font.getBestCmap())
        assert used <= cmap  # every character the page shows that the font has, é and the quotes included
        assert len(cmap) < len(whole) / 4  # and not the whole font
        assert ord("ж") not in cmap  # Cyrillic the font has but this page does not use


def test_fonts_come_before_a_project_stylesheet_that_can_still_override_them(example_project: Path) -> None:
    (example_project / "static").mkdir(exist_ok=True)
    (example_project / "static/brief.css").write_text(":root { --font: Georgia, serif; }")
    page = Renderer(load_project(example_project)).html(view())
    assert page.index("@font-face") < page.index("--font: Georgia, serif")
    assert "/*briefgen-fonts-" not in page


def test_a_template_without_the_stylesheet_gets_no_font(example_project: Path) -> None:
    (example_project / "templates").mkdir(exist_ok=True)
    (example_project / "templates/brief.html").write_text("<p>{{ brief.title }}</p>")
    assert Renderer(load_project(example_project)).html(view()) == "<p>Test brief</p>"


def test_pdf_html_has_no_inlined_font(example_project: Path) -> None:
    assert "@font-face" not in Renderer(load_project(example_project)).html(view(), for_pdf=True)


def test_a_pages_font_cuts_are_kept_for_the_next_edition(example_project: Path) -> None:
    project = load_project(example_project)
    page = Renderer(project).html(view(quote="Café ‘calm’ — naïve"))
    kept = sorted((example_project / ".briefgen" / "fonts").glob("*.woff2"))
    assert len(kept) == len(fonts.HTML_FACES)
    # the next process finds them there: a cut changed on disk is what the next page embeds
    fonts._html_font_faces_css.cache_clear()
    regular = next(path for path in kept if TTFont(path)["OS/2"].usWeightClass == 400
                   and not TTFont(path)["head"].macStyle & 2)
    marked = TTFont(regular)
    marked["name"].setName("Cached Cut", 1, 3, 1, 0x409)
    marked.save(regular)
    again = embedded_faces(Renderer(project).html(view(quote="Café ‘calm’ — naïve")))
    assert again[(400, "normal")]["name"].getDebugName(1) == "Cached Cut"
    assert embedded_faces(page)[(400, "normal")]["name"].getDebugName(1) == "Source Sans Pro"


def test_an_unwritable_font_cache_only_costs_time(example_project: Path) -> None:
    (example_project / ".briefgen").mkdir(exist_ok=True)
    (example_project / ".briefgen" / "fonts").write_text("not a folder")
    fonts._html_font_faces_css.cache_clear()
    page = Renderer(load_project(example_project)).html(view(quote="Café ‘calm’ — naïve"))
    assert set(embedded_faces(page)) == {(400, "normal"), (400, "italic"), (700, "normal")}
