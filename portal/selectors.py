"""Reads for accounts and invitations, scoped to what the asking user may see."""

from django.db.models import QuerySet

from portal.models import Invitation, User
from portal.permissions import invitable_roles


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations into the roles this user may invite people into."""
    roles = invitable_roles(user)
    if not roles:
        return Invitation.objects.none()
    return Invitation.objects.filter(role__in=[r.value for r in roles]).select_related("invited_by")
