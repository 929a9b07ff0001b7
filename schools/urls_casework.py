"""URLs for visits, Ofsted support offers, allegations meetings and CSPR learning."""

urlpatterns: list = []
