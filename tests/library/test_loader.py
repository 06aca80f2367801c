"""Loading a pack: idempotent, edits become revisions, a bad pack changes nothing."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from rxplain.library.models import ArticlePage, GlossaryTerm, HubPage
from tests.conftest import PACK
from tests.library.packs import make_pack


def load(path) -> str:
    out = io.StringIO()
    call_command("load_content", str(path), "--no-index", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_shipped_pack_is_loaded_as_published_pages():
    hub = HubPage.objects.get(medicine="isotretinoin")
    assert hub.live and hub.url == "/isotretinoin/"
    assert ArticlePage.objects.child_of(hub).live().count() >= 10
    assert GlossaryTerm.objects.filter(medicine="isotretinoin").count() >= 15


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    pages, revisions = ArticlePage.objects.count(), Revision.objects.count()
    output = load(PACK)
    assert ArticlePage.objects.count() == pages
    assert Revision.objects.count() == revisions
    assert "created 0, updated 0" in output


@pytest.mark.django_db
def test_an_edited_article_becomes_a_new_revision_of_the_same_page(tmp_path):
    copy = tmp_path / "isotretinoin"
    shutil.copytree(PACK, copy)
    target = copy / "articles" / "how-isotretinoin-works.md"
    page = ArticlePage.objects.get(slug="how-isotretinoin-works")
    before = page.revisions.count()
    target.write_text(target.read_text().replace("title: How isotretinoin works", "title: How isotretinoin acts"))
    output = load(copy)
    page.refresh_from_db()
    assert ArticlePage.objects.filter(slug="how-isotretinoin-works").count() == 1
    assert page.title == "How isotretinoin acts"
    assert page.revisions.count() == before + 1
    assert "updated 1" in output


@pytest.mark.django_db
def test_a_malformed_pack_is_refused_and_changes_nothing(tmp_path):
    root = make_pack(tmp_path / "testamine")
    (root / "articles" / "first.md").write_text("no front matter at all")
    counts = (HubPage.objects.count(), ArticlePage.objects.count(), GlossaryTerm.objects.count())
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_content", str(root), "--no-index", stdout=io.StringIO(), stderr=err)
    assert "first.md:1: no front matter" in err.getvalue()
    assert (HubPage.objects.count(), ArticlePage.objects.count(), GlossaryTerm.objects.count()) == counts


@pytest.mark.django_db
def test_a_second_medicine_is_a_new_pack_not_new_code(tmp_path, client):
    load(make_pack(tmp_path / "testamine"))
    assert client.get("/testamine/").status_code == 200
    assert client.get("/testamine/first/").status_code == 200
    assert "Widget" in client.get("/testamine/glossary/").content.decode()
