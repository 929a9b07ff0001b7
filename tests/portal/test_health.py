"""/healthz answers without the database; /readyz checks the database, the cache and the
broker and says 503 (never 500) when one of them is down. Every response carries a request id,
and every log line written while serving it does too."""

import json
import logging

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import reverse

from portal import health
from portal.request_id import JsonFormatter, RequestIdFilter, RequestIdMiddleware


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("portal:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_posts(client):
    assert client.post(reverse("portal:healthz")).status_code == 405


@pytest.mark.django_db
def test_readyz_reports_each_part(client):
    response = client.get(reverse("portal:readyz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] in {"ok", "eager"}


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_fails(client, monkeypatch):
    def broken():
        raise ConnectionError("could not connect to server at 10.0.0.5 port 5432")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get(reverse("portal:readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "failed"
    # The reason goes to the log, not to whoever asked.
    assert "10.0.0.5" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_checks_a_real_broker_when_celery_is_not_eager(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    class Refused:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def ensure_connection(self, **kwargs):
            raise OSError("Connection refused")

    from portal.celery import app

    monkeypatch.setattr(app, "connection_for_write", lambda: Refused())
    response = client.get(reverse("portal:readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "failed"
    assert connection.is_usable()


def test_every_response_carries_a_request_id(client):
    first = client.get(reverse("portal:healthz"))["X-Request-ID"]
    second = client.get(reverse("portal:healthz"))["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_proxys_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get(reverse("portal:healthz"), HTTP_X_REQUEST_ID="lb-1234abcd-5678")
    assert kept["X-Request-ID"] == "lb-1234abcd-5678"
    hostile = client.get(reverse("portal:healthz"), HTTP_X_REQUEST_ID="x\nERROR forged log line")
    assert hostile["X-Request-ID"] != "x\nERROR forged log line"
    assert "\n" not in hostile["X-Request-ID"]


def test_log_lines_carry_the_request_id_as_json(rf):
    entries = []

    def view(request):
        record = logging.LogRecord("portal.test", logging.WARNING, __file__, 1, "inside %s", ("view",), None)
        RequestIdFilter().filter(record)
        entries.append(json.loads(JsonFormatter().format(record)))
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="trace-abcdef12"))
    assert response["X-Request-ID"] == "trace-abcdef12"
    assert entries == [
        {
            "time": entries[0]["time"],
            "level": "WARNING",
            "logger": "portal.test",
            "message": "inside view",
            "request_id": "trace-abcdef12",
        }
    ]
    # Outside a request the id is a dash, never the last request's.
    record = logging.LogRecord("portal.test", logging.ERROR, __file__, 1, "boom", (), None)
    RequestIdFilter().filter(record)
    assert json.loads(JsonFormatter().format(record))["request_id"] == "-"
