"""Signals other apps listen to, so that portal never imports them."""

from django.dispatch import Signal

# Sent inside the acceptance transaction with `invitation` and `user`.
invitation_accepted = Signal()
