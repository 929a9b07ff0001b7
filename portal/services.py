"""Writes for accounts, invitations and email. Views call these; each checks
permission and state, records what happened in Wagtail's log, and queues email."""

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from portal.accounts.models import hash_invitation_token
from portal.models import Invitation, User
from portal.permissions import can_invite
from portal.roles import Role
from portal.signals import invitation_accepted

# Email ----------------------------------------------------------------------


def email_send(*, to: list[str], subject: str, body: str, html_body: str | None = None) -> int:
    """Send one message now. Called by the Celery task, not by views."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


def email_queue(*, to: list[str], subject_template: str, body_template: str, context: dict) -> None:
    """Render a message and hand it to the email task once the transaction commits,
    so nobody is emailed about a change that was rolled back."""
    from portal.tasks import send_email_task

    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    transaction.on_commit(partial(send_email_task.delay, to=list(to), subject=subject, body=body))


# Invitations ----------------------------------------------------------------


def invitation_create(
    *, inviter: User, email: str, first_name: str, last_name: str, role: Role, context: dict | None = None
) -> tuple[Invitation, str]:
    """Invite a person to join with a role. Returns the invitation and the raw token
    (only ever sent in the email; the database keeps a hash)."""
    role = Role(role)
    if not can_invite(inviter, role):
        raise PermissionDenied("You cannot invite people into this role.")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError("This person already has an account.")

    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # A new invitation replaces any earlier one still waiting for this address.
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
        invitation = Invitation.objects.create(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=role,
            invited_by=inviter,
            token_hash=hash_invitation_token(token),
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
            context=context or {},
        )
        log(invitation, "portal.invitation.create", user=inviter, data={"role": role.value})
        email_queue(
            to=[email],
            subject_template="emails/invitation_subject.txt",
            body_template="emails/invitation.txt",
            context={
                "invitation": invitation,
                "role_name": role.label,
                "role_article": "an" if role.label[0].lower() in "aeiou" else "a",
                "inviter_name": inviter.get_full_name() or inviter.email,
                "accept_url": settings.SITE_URL + reverse("portal:invitation_accept", args=[token]),
                "valid_days": settings.INVITATION_VALID_DAYS,
            },
        )
    return invitation, token


class InvitationNotUsable(Exception):
    """The link has been used, has expired or was withdrawn."""

    def __init__(self, state: Invitation.State):
        super().__init__(state.label)
        self.state = state


def invitation_find(*, token: str) -> Invitation | None:
    if not token or len(token) > 200:
        return None
    return Invitation.objects.select_related("invited_by").filter(token_hash=hash_invitation_token(token)).first()


def invitation_accept(*, invitation: Invitation, first_name: str, last_name: str, password: str) -> User:
    """Create the account, give it the invited role, and spend the invitation."""
    with transaction.atomic():
        # Lock the row so two clicks on the same link cannot make two accounts.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise InvitationNotUsable(invitation.state)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationNotUsable(Invitation.State.ACCEPTED)
        user = User.objects.create_user(
            email=invitation.email, password=password, first_name=first_name.strip(), last_name=last_name.strip()
        )
        user.groups.add(Group.objects.get(name=Role(invitation.role).group_name))
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        log(invitation, "portal.invitation.accept", user=user)
        invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user


def invitation_withdraw(*, invitation: Invitation, user: User) -> Invitation:
    if not can_invite(user, Role(invitation.role)):
        raise PermissionDenied("You cannot withdraw this invitation.")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != Invitation.State.PENDING:
            raise InvitationNotUsable(invitation.state)
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at", "updated_at"])
        log(invitation, "portal.invitation.withdraw", user=user)
    return invitation
