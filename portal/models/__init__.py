"""Portal models, one module per concept (see STYLE.md)."""

from .base import TimeStampedModel  # isort: skip  (accounts imports it)
from portal.accounts.models import Invitation, User

from .calendar import BankHoliday
from .pages import HomePage, StandardPage
from .site_settings import NavigationSettings, SiteSettings
from .tasks import TaskFailure
from .themes import Theme

__all__ = [
    "BankHoliday",
    "HomePage",
    "Invitation",
    "NavigationSettings",
    "SiteSettings",
    "StandardPage",
    "TaskFailure",
    "Theme",
    "TimeStampedModel",
    "User",
]
