import os
import shutil

import pytest

from portal.roles import Role
from tests.factories import UserFactory

# CI sets this so that anything which would skip here for want of a part
# (Chromium, a Celery broker) fails instead.
REQUIRE_ALL = os.environ.get("PORTAL_TESTS_REQUIRE_ALL", "").lower() in {"1", "true", "yes"}
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (PORTAL_TESTS_REQUIRE_ALL is set, so this part is required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download browsers here: drive Debian's Chromium instead.
    if not (os.path.exists(CHROMIUM_PATH) or shutil.which(CHROMIUM_PATH)):
        skip_or_fail(f"Chromium not found at {CHROMIUM_PATH}: install Debian's 'chromium' package to run browser tests")
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The serialized copy of the freshly migrated database (roles, themes, home page),
    kept so that transactional tests can put it back after a flush."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture
def migrated_reference_data(django_db_setup, transactional_db):
    """Make sure the data migrations' rows exist in a transactional test.

    Django restores them itself (serialized_rollback), but only through the connection
    object that was current when the test database was made; Playwright's sync API runs
    tests in a greenlet, which gets a fresh connection object without that copy."""
    from django.contrib.auth.models import Group
    from django.db import connection

    if django_db_setup and not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = django_db_setup
    if django_db_setup and not Group.objects.exists():
        connection.creation.deserialize_db_from_string(django_db_setup)


@pytest.fixture
def make_user(db):
    """make_user(Role.ADVISER, email=...) -> a saved user holding those roles."""

    def _make(*roles: Role, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return _make


@pytest.fixture
def user_for_role(make_user):
    def _for(role: Role):
        return make_user(role, email=f"{role.value}@example.org")

    return _for


@pytest.fixture
def qa_manager(make_user):
    return make_user(Role.QA_MANAGER, email="qa@example.org", first_name="Quinn", last_name="Manager")


@pytest.fixture
def adviser(make_user):
    return make_user(Role.ADVISER, email="adviser@example.org", first_name="Ada", last_name="Adviser")


@pytest.fixture
def school_user(make_user):
    return make_user(Role.SCHOOL_USER, email="dsl@school.example.org", first_name="Sam", last_name="Lead")


@pytest.fixture(autouse=True)
def _fresh_bank_holidays():
    """The holiday list is cached; a rolled-back test must not leave its dates behind."""
    from django.core.cache import caches

    from portal.working_days import forget_bank_holidays

    forget_bank_holidays()
    caches["default"].clear()  # no test sees another's cached pages or counters
    yield
    forget_bank_holidays()
