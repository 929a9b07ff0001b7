"""Reactions for casework: an Ofsted inspection with a safeguarding concern opens a support
offer. Connected in SchoolsConfig.ready(), which imports this module; it also loads the
casework log actions."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from schools import log_actions_casework  # noqa: F401  (registers the casework log actions)
from schools.models import OfstedInspection


@receiver(post_save, sender=OfstedInspection, dispatch_uid="schools.support_offer_from_inspection")
def open_support_offer(sender, instance: OfstedInspection, raw: bool = False, **kwargs) -> None:
    """Every save, not only the first: an inspection recorded as good and corrected to
    inadequate needs support too. Inspections imported one by one (the admin, a script
    calling save()) arrive here; a bulk_create sends no signal, so an importer that uses one
    must call services_casework.support_offer_open for each inspection itself."""
    if raw:  # loading fixtures
        return
    from schools.services_casework import support_offer_open

    support_offer_open(inspection=instance)
