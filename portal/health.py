"""Health endpoints for the load balancer and the orchestrator.

`/healthz` says the process is up and answering: it touches no database, cache or broker, so a
database outage never makes every web node look dead at once. `/readyz` says this node can do
useful work: the database answers, the cache round-trips, and (when Celery is not eager) the
broker accepts a connection. Neither needs a session or says anything about the data."""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 2


@never_cache
@require_GET
def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("the cache did not return what was stored")
    finally:
        cache.delete(key)


def _check_broker() -> str:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return "eager"  # no broker in this set-up: tasks run in the web process
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
@require_GET
def readyz(request) -> JsonResponse:
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            outcome = check() or "ok"
        except Exception as exc:  # any failure means "not ready", never a 500
            logger.warning("Readiness check %s failed: %s", name, type(exc).__name__)
            # The reason stays in the log: the response names the failing part, not its internals.
            outcome, ready = "failed", False
        results[name] = {"status": outcome, "ms": round((time.monotonic() - started) * 1000, 1)}
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503)
