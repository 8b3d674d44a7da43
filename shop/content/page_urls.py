"""The clinic's pages at addresses of their own: /about/, /contact/, /privacy/, /terms/, /refunds/.

`pages:detail` takes the slug; each page also has a stable name of its own (`pages:terms`).
"""

from django.urls import path, re_path

from shop.content.models import PAGE_SLUGS
from shop.content.views import PageView

app_name = "pages"

urlpatterns = [
    re_path(rf"^(?P<slug>{'|'.join(PAGE_SLUGS)})/$", PageView.as_view(), name="detail"),
    *[path(f"{slug}/", PageView.as_view(), {"slug": slug}, name=slug) for slug in PAGE_SLUGS],
]
