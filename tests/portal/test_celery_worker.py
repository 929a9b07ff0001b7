"""A real Celery worker, through the real broker (Redis in CI). Skipped locally when
CELERY_BROKER_URL is not set; required in CI (PORTAL_TESTS_REQUIRE_ALL)."""

import os
import uuid

import celery.contrib.testing.tasks  # noqa: F401  registers celery.ping for the worker's start-up check
import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from tests.conftest import skip_or_fail


@pytest.fixture
def worker_app():
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker or broker.startswith("memory://"):
        skip_or_fail("CELERY_BROKER_URL is not set: no broker to run a real worker against")
    # A fresh app configured like the portal's, but not eager. Shared tasks such as
    # portal.send_email register themselves on every app.
    app = Celery("portal-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=broker,
        result_backend=os.environ.get("CELERY_RESULT_BACKEND", broker),
        task_always_eager=False,
        # A queue of its own, so the test neither eats nor leaves anyone else's messages.
        task_default_queue=f"portal-test-{uuid.uuid4().hex}",
    )
    import portal.tasks  # noqa: F401

    yield app
    app.close()
    # start_worker makes its app the current one; give the portal's (eager) app back.
    from portal.celery import app as portal_app

    portal_app.set_current()
    portal_app.set_default()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_email_task_round_trip_through_a_real_worker(worker_app, mailoutbox):
    assert worker_app.conf.task_always_eager is False
    with start_worker(worker_app, pool="solo", concurrency=1, perform_ping_check=True, shutdown_timeout=20):
        result = worker_app.tasks["portal.send_email"].delay(
            to=["dsl@school.example.org"], subject="Worker round trip", body="Sent by a real worker"
        )
        assert result.get(timeout=30) == 1
        assert result.successful()
    assert [m.subject for m in mailoutbox] == ["Worker round trip"]
    assert mailoutbox[0].to == ["dsl@school.example.org"]


def test_the_portal_app_is_eager_again_after_the_worker_test():
    from celery import current_app

    from portal.tasks import send_email_task

    assert send_email_task.app.conf.task_always_eager is True
    assert current_app.main == "portal"
