"""A 'Feedback' menu in the Wagtail admin for staff: links to the Django admin lists (NPS, votes, tickets, safety)."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem


class StaffMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_staff


class StaffSubmenu(SubmenuMenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_staff


@hooks.register("register_admin_menu_item")
def feedback_menu() -> SubmenuMenuItem:
    items = [
        StaffMenuItem("NPS survey", reverse("admin:feedback_npsresponse_changelist"), icon_name="pick", order=1),
        StaffMenuItem("Article helpfulness", reverse("admin:feedback_articlevote_changelist"), icon_name="help",
                      order=2),
        StaffMenuItem("Contact tickets", reverse("admin:feedback_contactticket_changelist"), icon_name="mail",
                      order=3),
        StaffMenuItem("Safety events", reverse("admin:consult_safetyevent_changelist"), icon_name="warning",
                      order=4),
        StaffMenuItem("Consultations", reverse("admin:consult_consultsession_changelist"), icon_name="list-ul",
                      order=5),
    ]
    return StaffSubmenu("Feedback", Menu(items=items), icon_name="comment", order=900)
