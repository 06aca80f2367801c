"""WCAG 2.x A/AA checks with axe-core in a real Chromium, on the pages a patient sees first."""

from __future__ import annotations

import pytest

from tests.browser.conftest import REPO

AXE = (REPO / "tests" / "browser" / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [
    "/",
    "/isotretinoin/",
    "/isotretinoin/how-isotretinoin-works/",
    "/isotretinoin/isotretinoin-vs-alternatives/",
    "/isotretinoin/glossary/",
    "/search/?q=iPLEDGE",
    "/consult/",
    "/feedback/contact/",
    "/course/signup/",
    "/accounts/login/",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium, live_site):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    # Leave the site and let every request finish before the live server (and its shared connection) goes away.
    page.goto("about:blank")
    page.wait_for_load_state("networkidle")
    context.close()


def violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}" for v in result["violations"]]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_violations(page, live_site, path):
    response = page.goto(f"{live_site.url}{path}")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert violations(page) == []


def test_a_consultation_page_has_no_wcag_violations(page, live_site):
    page.goto(f"{live_site.url}/consult/")
    page.get_by_role("button", name="Start").first.click()
    page.wait_for_url("**/consult/*/")
    page.wait_for_load_state("networkidle")
    assert violations(page) == []


def test_the_checker_itself_reports_a_known_violation(page):
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    assert any(v.startswith("image-alt") for v in violations(page))
