"""The example briefs in a real headless Chromium, at phone (390 px) and desktop (1280 px) width: the page never
scrolls sideways, nothing sticks out of it but a deliberately scrollable figure, the graphics' text is legible,
and the text is drawn with the font the HTML embeds. Needs Debian's `chromium` (README: the tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import BrowserContext, Page

from briefgen.cli import main
from tests.chromium import chromium, needs_chromium
from tests.conftest import copy_example

WIDTHS = (390, 1280)
TABLET = 768  # between the phone layout and room enough for the graphics at full size
LEGIBLE_PX = 9.0  # smallest rendered size of a graphic's text, in CSS px
PAGES = [("iraq-security", audience) for audience in ("analyst", "executive", "public", "field-team")] + [
    ("sahel-security", audience) for audience in ("analyst", "executive", "public")]

pytestmark = needs_chromium

# Every element whose box reaches past the viewport's left or right edge, unless an ancestor scrolls
# sideways on purpose (overflow-x auto or scroll); boxes of 1 px or less (visually hidden text) aside.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\\s+/).join('.') : '');
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if ((box.width <= 1 && box.height <= 1) || el.closest('.visually-hidden')) continue;  // read aloud, not shown
    if ((box.right > width + 0.5 || box.left < -0.5) && !scrolls(el)) {
      out.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, overflowing: out.slice(0, 10)};
}"""

# The rendered size of every text of every inline SVG: its font size times the SVG's scale on screen.
SVG_TEXT_SIZES = """() => Array.from(document.querySelectorAll('svg text')).map(t => ({
  text: t.textContent.trim().slice(0, 40),
  px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
  svg: t.ownerSVGElement.getAttribute('class'),
}))"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both examples built (HTML only): each brief's newest edition folder."""
    root = tmp_path_factory.mktemp("layout")
    runner = CliRunner()
    iraq = copy_example(root / "iraq")
    assert runner.invoke(main, ["init", str(root / "sahel"), "--example", "sahel"]).exit_code == 0
    folders = {}
    for project, brief in ((iraq, "iraq-security"), (root / "sahel", "sahel-security")):
        result = runner.invoke(main, ["build", "--project", str(project), "--format", "html"])
        assert result.exit_code == 0, result.output
        folders[brief] = (project / "output" / brief / "latest").resolve()
    return folders


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Debian's Chromium, headless, with a fresh profile and nothing that calls home."""
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture
def open_page(browser: BrowserContext, built: dict[str, Path]) -> Iterator[Any]:
    """Open a brief's HTML at a width; records every request the page makes."""
    pages: list[Page] = []

    def opener(brief: str, audience: str, width: int) -> tuple[Page, list[str]]:
        page = browser.new_page()
        pages.append(page)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url[:200]))
        page.set_viewport_size({"width": width, "height": 900})
        page.goto((built[brief] / f"{audience}.html").as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        return page, requests

    yield opener
    for page in pages:
        page.close()


@pytest.mark.parametrize("width", [*WIDTHS, TABLET])
@pytest.mark.parametrize(("brief", "audience"), PAGES)
def test_no_horizontal_overflow(open_page: Any, brief: str, audience: str, width: int) -> None:
    page, _ = open_page(brief, audience, width)
    found = page.evaluate(OVERFLOWING)
    assert found["width"] == width
    assert found["scrollWidth"] <= width, found
    assert found["overflowing"] == []


@pytest.mark.parametrize("width", [*WIDTHS, TABLET])
@pytest.mark.parametrize(("brief", "audience"), [("iraq-security", "analyst"), ("sahel-security", "analyst")])
def test_graphics_text_is_legible(open_page: Any, brief: str, audience: str, width: int) -> None:
    page, _ = open_page(brief, audience, width)
    sizes = page.evaluate(SVG_TEXT_SIZES)
    assert {size["svg"] for size in sizes} >= {"gfx gfx-map", "gfx gfx-timeline"}  # the graphics are there
    small = [size for size in sizes if size["px"] < LEGIBLE_PX - 0.05]
    assert small == [], f"{len(small)} of {len(sizes)} texts under {LEGIBLE_PX} px, e.g. {small[:3]}"


@pytest.mark.parametrize(("brief", "audience"), [("iraq-security", "analyst"), ("sahel-security", "public")])
def test_text_is_drawn_with_the_embedded_font(open_page: Any, browser: BrowserContext, brief: str,
                                              audience: str) -> None:
    page, requests = open_page(brief, audience, 390)
    faces = page.evaluate("""async () => {
      for (const face of ['16px', 'italic 16px', 'bold 16px']) await document.fonts.load(`${face} "Source Sans Pro"`);
      return Array.from(document.fonts).map(f => [f.family, f.weight, f.style, f.status]);
    }""")  # an unused face stays unloaded until asked for: ask, so a broken one would show as "error"
    assert sorted(faces) == [["Source Sans Pro", "400", "italic", "loaded"],
                             ["Source Sans Pro", "400", "normal", "loaded"],
                             ["Source Sans Pro", "700", "normal", "loaded"]]
    cdp = browser.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for selector in ("h1", "h2", "p", "svg text", ".judgment-basis, .zone-meta, .source-title"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, selector
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        main_font = max(used, key=lambda font: font["glyphCount"])
        # A web font (isCustomFont) named Source Sans Pro: the machine itself has only DejaVu.
        assert (main_font["familyName"], main_font["isCustomFont"]) == ("Source Sans Pro", True), (selector, used)
    assert {url for url in requests if not url.startswith("data:")} == {page.url}, requests  # nothing else loaded


def test_incidents_stack_at_phone_width(open_page: Any) -> None:
    """At phone width each incident is one block, its cells one under another at full width, not a squeezed
    table whose words break letter by letter."""
    page, _ = open_page("iraq-security", "analyst", 390)
    widths = page.evaluate("""() => Array.from(document.querySelectorAll('.incidents tr.incident td'))
        .map(td => [td.className, td.getBoundingClientRect().width])""")
    assert widths
    table = page.evaluate("document.querySelector('.incidents').getBoundingClientRect().width")
    narrow = [(name, width) for name, width in widths
              if name not in ("inc-date", "inc-place") and width < 0.9 * table]
    assert narrow == []
