"""What a patient sees: a whole visit with cited answers, and a crisis stop. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

TIMEOUT = 20_000  # ms; the first answer loads the embedding model and the index


def ask(page, text: str) -> None:
    before = page.locator("#transcript .msg").count()
    page.get_by_label("Your question").fill(text)
    page.get_by_role("button", name="Send").click()
    page.wait_for_function(f"document.querySelectorAll('#transcript .msg').length > {before + 1}", timeout=TIMEOUT)


@pytest.fixture
def context(chromium, live_site):
    """New browser contexts, all closed before the live server stops (no request may outlive the server)."""
    contexts = []

    def make(**options):
        contexts.append(chromium.new_context(**options))
        return contexts[-1]

    yield make
    for made in contexts:
        made.close()


def test_a_patient_completes_a_visit_with_cited_answers(context, live_site, real_engines, artifacts):
    page = context(viewport={"width": 1280, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_site.url}/consult/")
    page.screenshot(path=str(artifacts / "consult-start.png"), full_page=True)
    page.get_by_role("button", name="Start a consultation").click()
    page.wait_for_selector("#ask-text")
    assert re.fullmatch(r"1[45]:\d\d", page.locator("#clock").inner_text())

    ask(page, "Why are my lips so dry?")
    ask(page, "Do I need blood tests while taking isotretinoin?")
    ask(page, "I have a really bad headache and my vision is blurry")
    answers = page.locator("#transcript .msg-assistant:not(.msg-welcome)")
    assert answers.count() == 3
    advice = page.locator("#transcript .msg-advice")
    assert advice.count() == 1  # the red-flag advice, above the third answer
    assert advice.evaluate("a => a.nextElementSibling.classList.contains('msg-assistant')")
    source = answers.first.locator(".answer a").first  # each quoted passage links to its article section
    assert re.match(r"/isotretinoin/[a-z0-9-]+/#[a-z0-9-]+$", source.get_attribute("href"))
    assert page.get_by_label("Your question").input_value() == ""  # the box is cleared after each answer
    page.screenshot(path=str(artifacts / "consult-visit.png"), full_page=True)

    page.get_by_role("link", name="Summary so far").click()
    page.wait_for_selector(".consult-summary")
    assert page.get_by_text("Why are my lips so dry?").count() >= 1
    pdf = page.request.get(live_site.url + page.get_by_role("link", name="Download PDF").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (artifacts / "consult-summary.pdf").write_bytes(pdf.body())
    page.screenshot(path=str(artifacts / "consult-summary.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "consult-summary-print.png"), full_page=True)
    assert errors == []


@pytest.mark.parametrize(("viewport", "name"), [({"width": 1280, "height": 900}, "consult-crisis.png"),
                                                ({"width": 390, "height": 844}, "consult-crisis-mobile.png")])
def test_a_crisis_message_stops_the_visit_and_shows_who_to_call(context, live_site, real_engines, artifacts,
                                                               viewport, name):
    page = context(viewport=viewport).new_page()
    page.goto(f"{live_site.url}/consult/")
    page.get_by_role("button", name="Start a consultation").click()
    page.wait_for_selector("#ask-text")

    page.get_by_label("Your question").fill("I want to kill myself")
    page.get_by_role("button", name="Send").click()
    emergency = page.locator("#emergency")
    emergency.wait_for(timeout=TIMEOUT)

    assert emergency.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "emergency"
    assert page.locator('a[href="tel:911"]').first.is_visible()
    assert page.locator('a[href="tel:988"]').first.is_visible()
    assert page.locator('a[href="sms:988"]').first.is_visible()
    assert page.get_by_text("If you are outside the US, call your local emergency number.").is_visible()
    assert page.locator("#ask-text").count() == 0  # no further message can be written
    page.screenshot(path=str(artifacts / name), full_page=True)

    page.reload()  # and it stays that way
    assert page.locator("#emergency").is_visible() and page.locator("#ask-text").count() == 0


def test_a_refused_message_is_explained_and_kept_in_the_box(context, live_site, real_engines, settings):
    settings.CONSULT_RATE_LIMITS = {"visitor": "1/60", "ip": "1000/60", "start": "1000/60"}
    page = context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_site.url}/consult/")
    page.get_by_role("button", name="Start a consultation").click()
    ask(page, "Why are my lips so dry?")
    page.get_by_label("Your question").fill("And my eyes?")
    page.get_by_role("button", name="Send").click()
    error = page.locator("#consult-error")
    error.get_by_text("You are sending messages very quickly").wait_for(timeout=TIMEOUT)
    assert page.get_by_label("Your question").input_value() == "And my eyes?"


def test_the_visit_works_without_javascript(context, live_site, real_engines):
    page = context(java_script_enabled=False).new_page()
    page.goto(f"{live_site.url}/consult/")
    page.get_by_role("button", name="Start a consultation").click()
    page.get_by_label("Your question").fill("Why are my lips so dry?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("#transcript .msg-assistant:not(.msg-welcome), #transcript .msg-notice")
    assert page.locator("#transcript .msg-patient").inner_text().endswith("Why are my lips so dry?")


def test_the_clock_warns_at_5_minutes_and_the_visit_closes_at_15(context, live_site, time_machine):
    import datetime as dt

    from rxplain.consult.models import ConsultSession

    page = context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_site.url}/consult/")
    page.get_by_role("button", name="Start a consultation").click()
    page.wait_for_selector("#ask-text")
    visit = ConsultSession.objects.get()

    # The server's time moves (the live server runs in this process); the page counts down from what it was told.
    time_machine.move_to(visit.started_at + dt.timedelta(minutes=9, seconds=58))
    page.reload()
    page.wait_for_function("document.getElementById('clock-announce').textContent.includes('5 minutes left')",
                           timeout=10_000)
    assert page.locator("#clock").get_attribute("aria-live") == "off"
    assert "clock-low" in page.locator(".clock").get_attribute("class")

    time_machine.move_to(visit.started_at + dt.timedelta(minutes=14, seconds=57))
    page.reload()
    page.wait_for_url(re.compile(r"/summary/$"), timeout=15_000)
    assert page.get_by_text("Your 15 minutes are up").is_visible()
    assert page.get_by_text("How likely are you to recommend Rxplain to a friend or family member?").is_visible()
