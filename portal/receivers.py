"""Receivers for portal's own models."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.models import BankHoliday
from portal.working_days import forget_bank_holidays


@receiver([post_save, post_delete], sender=BankHoliday)
def bank_holidays_changed(**kwargs) -> None:
    forget_bank_holidays()
