"""The health library: a home page, one hub per medicine, its articles and glossary, and clinical reviews.

An article keeps its whole Markdown source (the content pack's file) as one field: the pack is the source of truth,
each load makes a new revision, and the page, the FAQ, the references and the answer engine's passages are all
derived from that one text by rxplain.library.pack, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from rxplain.library import pack as packlib
from rxplain.library.rendering import render_markdown, render_reference

REVIEW_VALID_DAYS = 365  # a clinical review expires after 12 months


class HomePage(Page):
    """The site's front page: the medicines we cover and the consultation."""

    intro = models.TextField(blank=True, help_text="A short welcome shown above the list of medicines.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["library.HubPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["hubs"] = HubPage.objects.child_of(self).live().specific()
        return context


class HubPage(RoutablePageMixin, Page):
    """One medicine's topic hub: introduction with glossary links, related-article cards, and its glossary."""

    medicine = models.SlugField(unique=True, help_text="The content pack's slug, e.g. 'isotretinoin'.")
    summary = models.CharField(max_length=300, blank=True, help_text="One line for cards and the meta description.")
    intro = models.TextField(help_text="Markdown. Link key terms to the glossary as [retinoid](glossary:retinoid).")
    names = models.JSONField(default=dict, blank=True, help_text="Generic, brand and other names, from pack.yaml.")
    checked_on = models.DateField(null=True, blank=True, help_text="When the text was last checked against sources.")

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("intro"), FieldPanel("checked_on")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("intro")]
    parent_page_types = ["library.HomePage"]
    subpage_types = ["library.ArticlePage"]

    def review_status(self) -> ReviewStatus:
        return ReviewStatus.for_page(self)

    def glossary_terms(self) -> models.QuerySet[GlossaryTerm]:
        return GlossaryTerm.objects.filter(medicine=self.medicine).order_by("term")

    def articles(self) -> models.QuerySet[ArticlePage]:
        return ArticlePage.objects.child_of(self).live().specific().order_by("path")

    def intro_html(self) -> str:
        return render_markdown(self.intro, medicine=self.medicine, glossary=self._glossary_map(), inline_terms=True)

    def _glossary_map(self) -> dict[str, GlossaryTerm]:
        return {t.slug: t for t in self.glossary_terms()}

    @path("")
    def hub(self, request):
        return self.render(request)

    @path("glossary/")
    def glossary(self, request):
        return self.render(
            request, template="library/glossary_page.html", context_overrides={"terms": self.glossary_terms()}
        )


class ArticlePage(Page):
    """A medically written article: summary, sections, FAQ, numbered references, review status."""

    summary = models.CharField(max_length=200, help_text="One or two sentences for cards and the meta description.")
    checked_on = models.DateField(help_text="The date the text was last checked against its sources.")
    source = models.TextField(
        help_text="The article's Markdown source from the content pack (front matter + sections). Sections, FAQ "
        "and references are read from it; edit the pack file and reload to change them."
    )
    body_text = models.TextField(blank=True, editable=False, help_text="Plain text of the body, for site search.")
    related_slugs = models.JSONField(default=list, blank=True, help_text="Slugs of related articles, in order.")

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("checked_on"), FieldPanel("source")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body_text"),
        index.FilterField("live"),
    ]
    parent_page_types = ["library.HubPage"]
    subpage_types: list[str] = []

    @cached_property
    def parsed(self) -> packlib.Article:
        return packlib.parse_article_text(self.source, slug=self.slug)

    @cached_property
    def hub(self) -> HubPage | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    @property
    def medicine(self) -> str:
        return self.hub.medicine if self.hub else ""

    def related_pages(self) -> list[ArticlePage]:
        if not self.hub:
            return []
        siblings = {p.slug: p for p in ArticlePage.objects.child_of(self.hub).live().specific()}
        return [siblings[s] for s in self.related_slugs if s in siblings]

    def review_status(self) -> ReviewStatus:
        return ReviewStatus.for_page(self)

    def get_context(self, request, *args, **kwargs):
        from rxplain.library.seo import article_json_ld, dumps_for_script

        context = super().get_context(request, *args, **kwargs)
        article = self.parsed
        glossary = {t.slug: t for t in GlossaryTerm.objects.filter(medicine=self.medicine)}

        def render(text: str):
            return render_markdown(text, medicine=self.medicine, glossary=glossary)

        canonical = f"{settings.SITE_URL}{self.url}"
        context.update(
            article=article,
            sections=[(s.anchor, s.title, render(s.markdown)) for s in article.sections],
            faq=[(item.question, render(item.answer)) for item in article.faq],
            references=[(ref.number, render_reference(ref.text)) for ref in article.references],
            status=self.review_status(),
            related=self.related_pages(),
            canonical_url=canonical,
            json_ld=dumps_for_script(article_json_ld(self, canonical)),
        )
        return context

    def save(self, *args, **kwargs):
        self.body_text = packlib.plain_text(self.source)
        super().save(*args, **kwargs)


class ReviewerProfile(models.Model):
    """How a clinical reviewer is named on the pages they approve."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile",
        help_text="The reviewer's account; must be in the 'Clinical reviewers' group to approve.",
    )
    display_name = models.CharField(max_length=120, help_text="Name as printed on pages, e.g. 'Dr Ana Ruiz'.")
    credentials = models.CharField(max_length=200, help_text="Licence and specialty, e.g. 'MD, board-certified dermatologist'.")

    def __str__(self) -> str:
        return f"{self.display_name}, {self.credentials}"


class ClinicalReview(models.Model):
    """A clinician's approval of one revision of a page, recorded when they approve the 'Clinical review' task."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="clinical_reviews",
                             help_text="The page that was reviewed.")
    revision_id = models.PositiveIntegerField(help_text="The page revision the reviewer approved.")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 help_text="The clinician who approved it.")
    reviewer_name = models.CharField(max_length=120, help_text="The reviewer's name at the time of review.")
    reviewer_credentials = models.CharField(max_length=200, help_text="The reviewer's credentials at the time.")
    reviewed_at = models.DateTimeField(default=timezone.now, help_text="When the review was approved.")

    class Meta:
        ordering = ["-reviewed_at"]

    @property
    def expires_on(self) -> dt.date:
        return (self.reviewed_at + dt.timedelta(days=REVIEW_VALID_DAYS)).date()


class ReviewStatus:
    """What a page may honestly say about its review; never claims a review that did not happen."""

    AWAITING = "awaiting"
    REVIEWED = "reviewed"
    EXPIRED = "expired"

    def __init__(self, state: str, checked_on: dt.date | None, review: ClinicalReview | None) -> None:
        self.state = state
        self.checked_on = checked_on
        self.review = review

    @classmethod
    def for_page(cls, page: ArticlePage | HubPage, today: dt.date | None = None) -> ReviewStatus:
        today = today or timezone.localdate()
        review = (
            ClinicalReview.objects.filter(page_id=page.pk, revision_id=page.live_revision_id).first()
            if page.live_revision_id
            else None
        )
        if review is None:
            return cls(cls.AWAITING, page.checked_on, None)
        if today > review.expires_on:
            return cls(cls.EXPIRED, page.checked_on, review)
        return cls(cls.REVIEWED, page.checked_on, review)

    @property
    def label(self) -> str:
        checked = self.checked_on.strftime("%B %-d, %Y") if self.checked_on else "an unknown date"
        if self.state == self.REVIEWED and self.review:
            return (f"Medically reviewed by {self.review.reviewer_name}, {self.review.reviewer_credentials}, "
                    f"on {self.review.reviewed_at:%B %-d, %Y}")
        if self.state == self.EXPIRED and self.review:
            return (f"Checked against its sources on {checked}; the clinician review of "
                    f"{self.review.reviewed_at:%B %-d, %Y} expired on {self.review.expires_on:%B %-d, %Y} "
                    "and is awaiting renewal")
        return f"Checked against its sources on {checked}; awaiting clinician review"


class GlossaryTerm(models.Model):
    """A plain-language definition, shown in place on the hub and listed on the glossary page."""

    medicine = models.SlugField(help_text="The content pack this term belongs to.")
    slug = models.SlugField(help_text="Stable id used in links: [retinoid](glossary:retinoid).")
    term = models.CharField(max_length=120, help_text="The term as readers see it.")
    definition = models.TextField(help_text="One or two plain sentences.")
    aliases = models.JSONField(default=list, blank=True, help_text="Other spellings and plurals, for search.")

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(fields=["medicine", "slug"], name="unique_term_per_medicine")]

    def __str__(self) -> str:
        return self.term
