"""The review page in a real headless Chromium: a quote rejected with the keyboard alone, an actor's role
edited, two actors merged and a quote added (pinned, as every fact added by hand) through the page's forms;
the preview follows each decision and a build afterwards carries every one. Screenshots of the page at 1280
and 390 px go to /tmp for a person to look at. Needs Debian's `chromium` (README: the tests)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import BrowserContext, Page

from briefgen.cli import main
from briefgen.project import load_project
from briefgen.reviewdesk import review_brief
from tests.chromium import chromium, needs_chromium
from tests.conftest import copy_example
from tests.serve.running import Running, running

SCREENSHOTS = {1280: Path("/tmp/review-page.png"), 390: Path("/tmp/review-page-phone.png")}
REJECTED = "The F-16s are not the problem."
NEW_ROLE = "senior fellow at the Baghdad Policy Centre"
ADDED_SOURCE = "sources/2025-08-04-isis-resurgence-risk-analysis.md"
ADDED_SENTENCE = ("In his view the real danger is not an ISIS offensive but the gaps in surveillance that will open "
                  "once coalition forces are concentrated in Erbil.")
ADDED_WORDS = "the real danger is not an ISIS offensive but the gaps in surveillance"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The Iraq example, copied and served."""
    with running(copy_example(tmp_path_factory.mktemp("review-browser") / "project")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Debian's Chromium, headless, with a fresh profile and nothing that calls home."""
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


def fact_id(server: Running, kind: str, has: str) -> str:
    """The id of the brief's actor named `has`, or of its fact of another kind whose summary holds `has`."""
    items = review_brief(load_project(server.root), "iraq-security").items
    return next(item.id for item in items if item.kind == kind
                and (item.fields["name"] == has if kind == "actor" else has in item.text))


def shown_status(page: Page, fact: str) -> str:
    return page.locator(f"#f-{fact} .badge").inner_text()


def preview_html(page: Page) -> str:
    frame = next(frame for frame in page.frames if frame.url.split("?")[0].endswith("/iraq-security/analyst.html"))
    return frame.content()


def test_review_decisions_in_the_browser_reach_the_brief(served: Running, browser: BrowserContext) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    base = f"{served.base}/review/iraq-security/"

    # A quote rejected with the keyboard alone: j to it, r, the reason, Enter.
    quote = fact_id(served, "quote", REJECTED)
    page.goto(base + "?kind=quote")
    assert f"“{REJECTED}" in preview_html(page)
    facts = page.eval_on_selector_all("li.fact", "items => items.map(item => item.dataset.fact)")
    for _ in range(facts.index(quote) + 1):
        page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.fact") == quote
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.name") == "why"
    page.keyboard.type("A paraphrase of the analyst's words, not a quote")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert shown_status(page, quote) == "rejected"
    assert page.evaluate("document.activeElement.dataset.fact") == quote  # the focus stays on it
    assert "Rejected quote" in page.locator(".flash.ok").inner_text()
    assert f"“{REJECTED}" not in preview_html(page)  # the preview beside it was rebuilt

    # An actor's role, fixed through Edit (opened with e).
    analyst = fact_id(served, "actor", "Sarmad al-Bayati")
    page.goto(base + "?kind=actor")
    card = page.locator(f"#f-{analyst}")
    card.locator(".summary").click()
    page.keyboard.press("e")
    role = card.locator("input[name='set.role']")
    assert role.input_value() == "security expert"
    role.fill(NEW_ROLE)
    with page.expect_navigation():
        card.get_by_role("button", name="Save changes").click()
    assert shown_status(page, analyst) == "edited" and NEW_ROLE in page.locator(f"#f-{analyst} .summary").inner_text()

    # Two actors merged (Merge opened with m).
    asayish, sdf = fact_id(served, "actor", "Asayish"), fact_id(served, "actor", "Syrian Democratic Forces")
    card = page.locator(f"#f-{asayish}")
    card.locator(".summary").click()
    page.keyboard.press("m")
    card.locator("select[name=into]").select_option(sdf)
    with page.expect_navigation():
        card.get_by_role("button", name="Merge", exact=True).click()
    assert "Merged actor" in page.locator(".flash.ok").inner_text()
    assert "Asayish" in page.locator(f"#f-{sdf} .summary").inner_text()

    # A quote added by hand, from a sentence of a source.
    page.locator("details#add > summary").click()
    page.select_option("#add-kind", "quote")
    assert page.locator("fieldset.add-fields:visible").count() == 1  # the chosen kind's fields only
    page.select_option("select[name=source]", ADDED_SOURCE)
    page.fill("textarea[name=sentence]", ADDED_SENTENCE)
    fields = page.locator("fieldset[data-kind=quote]")
    fields.locator("input[name='set.speaker']").fill("Sarmad al-Bayati")
    fields.locator("textarea[name='set.text']").fill(ADDED_WORDS)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the fact").click()
    assert "Added quote" in page.locator(".flash.ok").inner_text()
    added = page.locator("li.fact.status-added")  # shown though the page was filtered to actors
    assert added.count() == 1 and ADDED_WORDS in added.inner_text()
    new = added.get_attribute("data-fact")
    assert page.evaluate("document.activeElement.dataset.fact") == new  # the page opens at it
    # Added by hand, it is pinned: shown though the analyst's card already holds its two statements.
    assert page.locator(f"#f-{new} .pinned").count() == 1
    assert ADDED_WORDS in preview_html(page)
    with page.expect_navigation():
        page.keyboard.press("p")  # unpinned: capped like any other statement
    assert page.locator(f"#f-{new} .pinned").count() == 0
    assert ADDED_WORDS not in preview_html(page)
    with page.expect_navigation():
        page.keyboard.press("p")  # pinned again
    assert page.locator(f"#f-{new} .pinned").count() == 1
    assert ADDED_WORDS in preview_html(page)

    for width, path in SCREENSHOTS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base)
        page.screenshot(path=str(path))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert problems == []
    page.close()

    result = CliRunner().invoke(main, ["build", "--project", str(served.root), "--format", "html"])
    assert result.exit_code == 0, result.output
    brief = (served.root / "output/iraq-security/latest/analyst.html").read_text(encoding="utf-8")
    assert f"“{REJECTED}" not in brief
    assert NEW_ROLE in brief
    cards = {re.search(r'actor-name">([^<]*)', card).group(1): card  # type: ignore[union-attr]
             for card in brief.split('<article class="actor-card')[1:]}
    assert "Asayish" in re.search(r'actor-aliases">(.*?)</p>', cards["Syrian Democratic Forces"]).group(1)  # type: ignore[union-attr]
    assert "Asayish" not in cards
    assert f"“{ADDED_WORDS}”" in brief
