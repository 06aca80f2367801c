from django.core.management.base import BaseCommand

from rxplain.library.models import ArticlePage, ReviewStatus
from rxplain.library.pack import PackError
from rxplain.library.readability import TARGET_GRADE, article_grade, median_grade


class Command(BaseCommand):
    help = "Each article's review status (awaiting / reviewed / expired after 12 months) and reading grade."

    def handle(self, *args, **options):
        grades = []
        rows = []
        for page in ArticlePage.objects.live().specific().order_by("path"):
            status = page.review_status()
            try:
                grade = article_grade(page.parsed)
            except PackError:
                grade = float("nan")
            grades.append(grade)
            if status.state == ReviewStatus.REVIEWED:
                review = f"reviewed {status.review.reviewed_at:%Y-%m-%d}, expires {status.review.expires_on}"
            elif status.state == ReviewStatus.EXPIRED:
                review = f"REVIEW EXPIRED on {status.review.expires_on}"
            else:
                review = "awaiting clinician review"
            rows.append((f"/{page.medicine}/{page.slug}/", review, page.checked_on, grade))
        width = max((len(r[0]) for r in rows), default=10)
        self.stdout.write(f"{'article'.ljust(width)}  {'grade':>5}  checked     review")
        for url, review, checked, grade in rows:
            flag = "" if grade <= TARGET_GRADE else " (above grade 8)"
            self.stdout.write(f"{url.ljust(width)}  {grade:5.1f}  {checked}  {review}{flag}")
        median = median_grade(grades)
        verdict = "meets" if median <= TARGET_GRADE else "is above"
        self.stdout.write(f"{len(rows)} articles; median reading grade {median} {verdict} the grade-8 target.")
