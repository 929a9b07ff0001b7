"""QPAG pages, mounted at /qpag/ (portal.urls)."""

from qpag.urls_casefile import urlpatterns as casefile_urlpatterns
from qpag.urls_dashboard import urlpatterns as dashboard_urlpatterns
from qpag.urls_packs import urlpatterns as pack_urlpatterns
from qpag.urls_sampling import urlpatterns as sampling_urlpatterns

app_name = "qpag"

urlpatterns = [*dashboard_urlpatterns, *sampling_urlpatterns, *casefile_urlpatterns, *pack_urlpatterns]
