"""The monthly QPAG pack pages, under /qpag/packs/."""

from django.urls import path

from qpag import views_packs

urlpatterns = [
    path("packs/", views_packs.pack_list, name="pack_list"),
    path("packs/new/", views_packs.pack_new, name="pack_new"),
    path("packs/<int:pk>/", views_packs.pack_detail, name="pack_detail"),
    path("packs/<int:pk>/narrative/", views_packs.pack_narrative, name="pack_narrative"),
    path("packs/<int:pk>/issue/", views_packs.pack_issue, name="pack_issue"),
    path("packs/<int:pk>/download/<str:fmt>/", views_packs.pack_download, name="pack_download"),
]
