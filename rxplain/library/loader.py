"""Load a validated content pack into Wagtail pages: idempotent, one new revision per changed page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from wagtail.models import Page, Site

from rxplain.library.models import ArticlePage, GlossaryTerm, HomePage, HubPage
from rxplain.library.pack import Pack
from rxplain.library.setup import ensure_roles


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)


def ensure_home() -> HomePage:
    """The site's root page is our HomePage (replacing Wagtail's welcome page on a fresh database)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Rxplain", slug="home-rxplain", intro=(
            "Plain-language information about medicines, written from trusted sources, and a free 24/7 "
            "consultation that answers from that content."
        )))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="Rxplain")
    elif site.root_page_id != home.pk:
        old = site.root_page
        site.root_page = home
        site.site_name = "Rxplain"
        site.save()
        if old.specific_class is Page and old.depth == 2 and not old.get_children().exists():
            old.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
    return home


def _publish_if_changed(page: Page, fields: dict, report: LoadReport, label: str) -> bool:
    """Publish a new revision only when something differs, so reloading an unchanged pack changes nothing."""
    changed = any(getattr(page, k) != v for k, v in fields.items()) or not page.live
    if not changed:
        report.unchanged.append(label)
        return False
    for key, value in fields.items():
        setattr(page, key, value)
    page.save_revision().publish()
    report.updated.append(label)
    return True


def load_pack(pack: Pack, progress: Callable[[str], None] = lambda _: None) -> LoadReport:
    """Create or update the hub, its articles and glossary from a validated pack, all or nothing."""
    report = LoadReport()
    with transaction.atomic():
        home = ensure_home()
        ensure_roles(home)
        hub = _load_hub(home, pack, report)
        _load_glossary(pack)
        slugs = [a.slug for a in pack.articles]
        for number, article in enumerate(pack.articles, start=1):
            fields = {
                "title": article.title,
                "summary": article.summary,
                "checked_on": article.checked_on,
                "source": article.source,
                "related_slugs": article.related,
                "search_description": article.summary,
            }
            page = ArticlePage.objects.child_of(hub).filter(slug=article.slug).first()
            if page is None:
                page = hub.add_child(instance=ArticlePage(slug=article.slug, **fields))
                page.save_revision().publish()
                report.created.append(article.slug)
                progress(f"[{number}/{len(slugs)}] created {article.slug}")
            else:
                state = "updated" if _publish_if_changed(page.specific, fields, report, article.slug) else "unchanged"
                progress(f"[{number}/{len(slugs)}] {state} {article.slug}")
        for stale in ArticlePage.objects.child_of(hub).live().exclude(slug__in=slugs):
            stale.unpublish()
            report.unpublished.append(stale.slug)
    return report


def _load_hub(home: HomePage, pack: Pack, report: LoadReport) -> HubPage:
    fields = {
        "title": str(pack.hub.get("title") or pack.slug.title()),
        "summary": str(pack.hub.get("summary") or ""),
        "intro": str(pack.hub.get("intro") or "").strip(),
        "names": pack.medicine,
        "checked_on": pack.hub.get("checked_on"),
        "search_description": str(pack.hub.get("summary") or ""),
    }
    hub = HubPage.objects.filter(medicine=pack.slug).first()
    if hub is None:
        hub = home.add_child(instance=HubPage(slug=pack.slug, medicine=pack.slug, **fields))
        hub.save_revision().publish()
        report.created.append(f"hub {pack.slug}")
        return hub
    _publish_if_changed(hub, fields, report, f"hub {pack.slug}")
    return hub


def _load_glossary(pack: Pack) -> None:
    keep = []
    for term in pack.glossary:
        GlossaryTerm.objects.update_or_create(
            medicine=pack.slug, slug=term.slug,
            defaults={"term": term.term, "definition": term.definition, "aliases": list(term.aliases)},
        )
        keep.append(term.slug)
    GlossaryTerm.objects.filter(medicine=pack.slug).exclude(slug__in=keep).delete()
