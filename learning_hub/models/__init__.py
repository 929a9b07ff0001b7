"""Learning hub models, one module per concept (see STYLE.md)."""

from .audiences import Audience
from .pages import (
    GoodPracticeIndexPage,
    GoodPracticePage,
    LearningHubHomePage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    TrainingCalendarPage,
    TrainingCoursePage,
    TrainingIndexPage,
)
from .training import Booking, Evaluation, TrainingSession

__all__ = [
    "Audience",
    "Booking",
    "Evaluation",
    "GoodPracticeIndexPage",
    "GoodPracticePage",
    "LearningHubHomePage",
    "NewsIndexPage",
    "NewsPage",
    "ResourceIndexPage",
    "ResourcePage",
    "TrainingCalendarPage",
    "TrainingCoursePage",
    "TrainingIndexPage",
    "TrainingSession",
]
