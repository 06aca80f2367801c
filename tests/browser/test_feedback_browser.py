"""What a patient sees of feedback: the contact form and its ticket number. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_the_contact_form_gives_a_ticket_number(chromium, live_site, artifacts):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{live_site.url}/feedback/contact/")
        page.screenshot(path=str(artifacts / "feedback-contact.png"), full_page=True)
        page.get_by_label("Name").fill("Sam")
        page.get_by_label("Email").fill("sam@example.com")
        page.get_by_label("Message").fill("The iPLEDGE page has a broken link.")
        page.get_by_role("button", name="Send message").click()
        page.wait_for_selector(".ticket-number")
        assert re.fullmatch(r"RX-[A-Z2-9]{6}", page.locator(".ticket-number").inner_text())
        assert page.get_by_text("within 5-7 days").is_visible()
        page.screenshot(path=str(artifacts / "feedback-contact-sent.png"), full_page=True)
    finally:
        context.close()
