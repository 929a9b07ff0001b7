"""The RAG of an action, decided in one place so every list and reminder agrees."""

from datetime import date

# Amber when this close to the due date and not yet completed.
AMBER_DAYS = 14


def action_rag(action, today: date, *, started_on: date | None = None) -> str | None:
    """Green when verified or on track; amber when due within 14 days and not completed;
    red when overdue, or when more than half the time has gone and it has not started.
    Cancelled actions have no RAG. `started_on` is when the clock began (the plan's
    agreement date, else the action's creation)."""
    from schools.models import Action

    status = action.status
    if status == Action.Status.CANCELLED:
        return None
    if status in {Action.Status.VERIFIED, Action.Status.COMPLETED}:
        return "green"
    if today > action.due_on:
        return "red"
    start = started_on or action.created_at.date()
    total = (action.due_on - start).days
    if status == Action.Status.NOT_STARTED and total > 0 and (today - start).days * 2 > total:
        return "red"
    if (action.due_on - today).days <= AMBER_DAYS:
        return "amber"
    return "green"
