from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from rxplain.api import api
from rxplain.library import views as library_views

urlpatterns = [
    path("healthz", library_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", api.urls),
    path("search/", library_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("consult/", include("rxplain.consult.urls")),
    path("course/", include("rxplain.course.urls")),
    path("feedback/", include("rxplain.feedback.urls")),
    # Wagtail's page tree last: it serves every other path (home, hubs, articles).
    path("", include(wagtail_urls)),
]
