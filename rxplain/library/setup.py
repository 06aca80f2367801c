"""Roles and the review workflow, set up idempotently (by `load_content` and `setup_roles`).

Editors may draft and submit; only 'Clinical reviewers' may approve, and approving publishes. Wagtail's default
'Moderators approval' workflow is replaced by ours on the whole tree.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from rxplain.library.roles import CLINICAL_REVIEWERS, EDITORS, WORKFLOW_NAME

PAGE_PERMISSIONS = {EDITORS: ("add", "change"), CLINICAL_REVIEWERS: ("add", "change", "publish")}


def ensure_roles(root: Page) -> Workflow:
    """Create the groups, their page permissions below `root`, and the 'Clinical review' workflow on `root`."""
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, kinds in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        # An editor must never hold publish rights anywhere in the tree, whatever Wagtail's defaults gave them.
        if name == EDITORS:
            GroupPagePermission.objects.filter(group=group, permission__codename__in=["publish_page", "bulk_delete_page", "lock_page", "unlock_page"]).delete()
        for kind in kinds:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{kind}_page")
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)

    reviewers = Group.objects.get(name=CLINICAL_REVIEWERS)
    task, _ = GroupApprovalTask.objects.get_or_create(name=WORKFLOW_NAME)
    task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    tree_root = Page.get_first_root_node()
    for page in {tree_root, root}:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow
