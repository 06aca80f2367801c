"""Admin screens: glossary terms as snippets; reviews and reviewer profiles for staff."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from rxplain.library.models import ClinicalReview, GlossaryTerm, ReviewerProfile


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    list_display = ["term", "medicine", "slug"]
    list_filter = ["medicine"]
    search_fields = ["term", "definition"]


class ReviewerProfileViewSet(SnippetViewSet):
    model = ReviewerProfile
    icon = "user"
    list_display = ["display_name", "credentials"]


class ClinicalReviewViewSet(SnippetViewSet):
    model = ClinicalReview
    icon = "tick"
    list_display = ["page", "reviewer_name", "reviewed_at", "expires_on"]
    inspect_view_enabled = True


register_snippet(GlossaryTermViewSet)
register_snippet(ReviewerProfileViewSet)
register_snippet(ClinicalReviewViewSet)
