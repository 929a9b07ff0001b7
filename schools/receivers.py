"""Reactions to portal events. Connected in SchoolsConfig.ready()."""

from django.dispatch import receiver

from portal.signals import invitation_accepted
from schools.models import Membership, Setting, SettingRole


@receiver(invitation_accepted, dispatch_uid="schools.membership_from_invitation")
def create_membership_from_invitation(sender, invitation, user, **kwargs) -> None:
    """An invitation sent from a setting's page makes the person a member of that setting."""
    setting_id = invitation.context.get("setting_id")
    role = invitation.context.get("setting_role")
    if not setting_id or role not in SettingRole.values:
        return
    setting = Setting.objects.filter(pk=setting_id).first()
    if setting is not None:
        Membership.objects.get_or_create(user=user, setting=setting, role=role)
