"""The contact form: a ticket number, a reply promised within 5-7 days, and an overdue flag for staff."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.urls import reverse

from rxplain.feedback.models import ContactTicket

MESSAGE = {"name": "Sam", "email": "sam@example.com", "message": "The iPLEDGE page has a broken link."}


def test_the_contact_form_gives_a_ticket_number_and_says_when_we_reply(client, db):
    response = client.post(reverse("feedback:contact"), MESSAGE, follow=True)
    html = response.content.decode()
    ticket = ContactTicket.objects.get()
    assert re.fullmatch(r"RX-[A-Z2-9]{6}", ticket.number)
    assert ticket.number in html
    assert "within 5-7 days" in html
    assert (ticket.name, ticket.email, ticket.status) == ("Sam", "sam@example.com", "open")


def test_the_sender_gets_the_ticket_number_by_email(client, db):
    client.post(reverse("feedback:contact"), MESSAGE)
    ticket = ContactTicket.objects.get()
    assert len(mail.outbox) == 1
    assert ticket.number in mail.outbox[0].subject and mail.outbox[0].to == ["sam@example.com"]
    assert MESSAGE["message"] not in mail.outbox[0].body


def test_an_incomplete_form_is_shown_again_with_errors(client, db):
    response = client.post(reverse("feedback:contact"), {"name": "Sam", "email": "not-an-email", "message": ""})
    assert response.status_code == 400
    assert b"Please check the fields marked below." in response.content
    assert not ContactTicket.objects.exists()


def test_the_contact_page_says_it_is_not_for_emergencies(client, db):
    html = client.get(reverse("feedback:contact")).content.decode()
    assert "not for emergencies" in html and 'href="tel:911"' in html and 'href="tel:988"' in html


def test_ticket_numbers_are_unique(db):
    numbers = {ContactTicket.objects.create(name="A", email="a@example.com", message="x").number for _ in range(50)}
    assert len(numbers) == 50


def test_a_ticket_is_overdue_after_7_days_without_a_reply(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    ticket = ContactTicket.objects.create(name="A", email="a@example.com", message="x")
    time_machine.shift(dt.timedelta(days=7))
    assert not ticket.is_overdue
    time_machine.shift(dt.timedelta(seconds=1))
    assert ticket.is_overdue


def test_an_answered_ticket_is_never_overdue(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    ticket = ContactTicket.objects.create(name="A", email="a@example.com", message="x", status="answered")
    time_machine.shift(dt.timedelta(days=30))
    assert not ticket.is_overdue


def test_staff_see_overdue_tickets_flagged_and_filtered(staff, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    old = ContactTicket.objects.create(name="Old", email="old@example.com", message="x")
    time_machine.shift(dt.timedelta(days=8))
    new = ContactTicket.objects.create(name="New", email="new@example.com", message="y")
    url = reverse("admin:feedback_contactticket_changelist")
    html = staff.get(url).content.decode()
    assert old.number in html and new.number in html and "overdue" in html
    overdue = staff.get(url + "?overdue=yes").content.decode()
    assert old.number in overdue and new.number not in overdue


def test_staff_can_mark_tickets_answered(staff):
    ticket = ContactTicket.objects.create(name="A", email="a@example.com", message="x")
    staff.post(reverse("admin:feedback_contactticket_changelist"),
               {"action": "mark_answered", "_selected_action": [ticket.pk]})
    ticket.refresh_from_db()
    assert ticket.status == "answered" and ticket.answered_at is not None


def test_staff_find_feedback_in_the_wagtail_admin(staff):
    html = staff.get("/admin/").content.decode()
    assert "Contact tickets" in html and reverse("admin:feedback_contactticket_changelist") in html


def test_too_many_contact_messages_from_one_address_get_429(client, db):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        assert client.post(reverse("feedback:contact"), MESSAGE).status_code == 302
    response = client.post(reverse("feedback:contact"), MESSAGE)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert ContactTicket.objects.count() == 5
