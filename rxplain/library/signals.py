"""Record clinical reviews when a clinician approves, and rebuild the answer index when content is published."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver
from wagtail.models import GroupApprovalTask
from wagtail.signals import page_published, page_unpublished, task_approved

from rxplain.library.roles import CLINICAL_REVIEWERS, is_clinical_reviewer

log = logging.getLogger(__name__)
_suspended = False  # the loader publishes many pages at once and rebuilds the index a single time at the end


class suspend_index_rebuilds:
    def __enter__(self) -> None:
        global _suspended
        _suspended = True

    def __exit__(self, *exc: object) -> None:
        global _suspended
        _suspended = False


@receiver(task_approved)
def record_clinical_review(sender, instance, user, **kwargs) -> None:
    """Only an approval of a group-approval task by a member of 'Clinical reviewers' counts as a clinical review."""
    from rxplain.library.models import ArticlePage, ClinicalReview, HubPage, ReviewerProfile

    page = instance.workflow_state.content_object.specific
    task = instance.task.specific
    if user is None or not isinstance(task, GroupApprovalTask) or not isinstance(page, ArticlePage | HubPage):
        return
    if not is_clinical_reviewer(user):
        return
    profile = ReviewerProfile.objects.filter(user=user).first()
    ClinicalReview.objects.create(
        page=page,
        revision_id=instance.revision_id,
        reviewer=user,
        reviewer_name=profile.display_name if profile else user.get_full_name() or user.get_username(),
        reviewer_credentials=profile.credentials if profile else f"member of {CLINICAL_REVIEWERS}",
    )
    log.info("clinical review recorded for page %s revision %s", page.pk, instance.revision_id)


@receiver(page_published)
@receiver(page_unpublished)
def rebuild_answer_index(sender, instance, **kwargs) -> None:
    from rxplain.library.models import ArticlePage

    if _suspended or not isinstance(instance.specific, ArticlePage):
        return
    from rxplain.library.tasks import rebuild_index

    transaction.on_commit(rebuild_index.delay)
