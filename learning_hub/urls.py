"""The hub's own pages that are not Wagtail pages (booking, submissions), mounted at /hub/."""

from learning_hub.urls_booking import urlpatterns as booking_urlpatterns
from learning_hub.urls_content import urlpatterns as content_urlpatterns

app_name = "learning_hub"

urlpatterns = [*booking_urlpatterns, *content_urlpatterns]
