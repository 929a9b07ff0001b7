"""Signals other apps listen to, so that schools never imports them (DESIGN.md)."""

from django.dispatch import Signal

# Sent inside the transaction that completes the plan, with `plan` and `user`.
action_plan_completed = Signal()
