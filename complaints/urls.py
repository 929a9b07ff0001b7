"""The complaints tracker, mounted at /complaints/ (portal.urls)."""

from complaints.urls_detail import urlpatterns as detail_urlpatterns
from complaints.urls_reports import urlpatterns as report_urlpatterns
from complaints.urls_tracker import urlpatterns as tracker_urlpatterns

app_name = "complaints"

urlpatterns = [*tracker_urlpatterns, *detail_urlpatterns, *report_urlpatterns]
