"""Registration only: the training admin screens and their permission policies. Logic lives in
learning_hub.viewsets and learning_hub.booking; log actions in learning_hub.log_actions."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from learning_hub.models import Booking, TrainingSession
from learning_hub.viewsets import (
    BOOKING_KEEPERS,
    BOOKING_READERS,
    SESSION_KEEPERS,
    SESSION_READERS,
    SessionPermissionPolicy,
    TrainingViewSetGroup,
)
from portal.viewsets import RolePermissionPolicy

# Policies first: Wagtail makes a fallback policy for a model the first time anything asks,
# and refuses a registration after that.
# https://docs.wagtail.org/en/stable/extending/custom_permissions.html
register_permission_policy(
    TrainingSession, SessionPermissionPolicy(TrainingSession, readers=SESSION_READERS, keepers=SESSION_KEEPERS)
)
register_permission_policy(Booking, RolePermissionPolicy(Booking, readers=BOOKING_READERS, keepers=BOOKING_KEEPERS))


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    # https://docs.wagtail.org/en/stable/extending/generic_views.html#viewset-groups
    return TrainingViewSetGroup()
