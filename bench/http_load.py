"""Over-HTTP benchmark at county scale: gunicorn with the production settings and wrk, the same
method as the bakerydemo reference in issue 9 (2 sync workers, 127.0.0.1, `wrk -t1 -c10 -d15s`).

1. A scratch PostgreSQL database (portal_bench_http) is filled by `seed_scale --profile county`.
2. gunicorn, uncached (PORTAL_PAGE_CACHE_SECONDS=0, no CACHE_URL): the public hub pages.
3. gunicorn with CACHE_URL=redis://127.0.0.1:6379/5 and the default page cache: the same hub pages
   (served from the anonymous page cache), then signed-in pages with a session cookie obtained by
   signing in over HTTP first: a school user's task list, a wizard save (POST, a wrk Lua script
   carrying the session cookie and CSRF token), an adviser's home and the complaints tracker.
   PORTAL_TWO_FACTOR_ENFORCED=0 for this server: staff would otherwise have to enter a TOTP code.
Each page: a 3 s warm-up, then 15 s measured; req/s, p50 and p99, and the ratio to the reference.

Usage: `make bench`, or `.venv/bin/python bench/http_load.py` (needs PostgreSQL via DATABASE_URL, Redis on
127.0.0.1:6379, /usr/bin/wrk and gunicorn; takes about 8 minutes).
"""

import importlib.util
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

# Not called http.py: every script in bench/ has bench/ first on its import path, where a module
# named http would shadow the standard library's (which Django imports).
BENCH = Path(__file__).resolve().parent

ROOT = BENCH.parent
PORT = 8031
DURATION = os.environ.get("BENCH_HTTP_SECONDS", "15")
CONNECTIONS = os.environ.get("BENCH_HTTP_CONNECTIONS", "10")
REDIS_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/5")
DB_NAME = "portal_bench_http"
# Issue 9's reference: bakerydemo (Wagtail 8.0.1), gunicorn 2 sync workers, SQLite, wrk -t1 -c10 -d15s.
REFERENCE = {"home": 41, "listing": 57.5, "detail": 80, "search": 41, "cached": 3450, "bare Django": 6400}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the server and the load --------------------------------------------------------------------


class Server:
    """gunicorn as the README's production notes run it, bound to 127.0.0.1:PORT."""

    def __init__(self, database_url: str, static_root: Path, *, cached: bool) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{PORT}",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(static_root),
            "DATABASE_URL": database_url,
            "PORTAL_TWO_FACTOR_ENFORCED": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("CACHE_URL", None)
        if cached:
            self.env["CACHE_URL"] = REDIS_URL
        else:
            self.env["PORTAL_PAGE_CACHE_SECONDS"] = "0"
        self.process = None

    def __enter__(self) -> "Server":
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
        self.process = subprocess.Popen(  # noqa: S603
            [str(gunicorn), "portal.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"]
            + ["--timeout", "60", "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(100):
            try:
                request("GET", "/healthz")
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def request(method: str, path: str, *, body: str = "", headers: dict | None = None):
    connection = HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request(method, path, body=body or None, headers=headers or {})
    response = connection.getresponse()
    content = response.read().decode("utf-8", "replace")
    connection.close()
    return response, content


def _cookies(response, jar: dict) -> dict:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def sign_in(email: str, password: str) -> dict:
    """Sign in through the real form; return the cookie jar (sessionid, csrftoken)."""
    response, content = request("GET", "/sign-in/")
    jar = _cookies(response, {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password})
    response, _ = request(
        "POST",
        "/sign-in/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(jar)},
    )
    _cookies(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"signing in as {email} failed: {response.status}")
    return jar


def wrk(path: str, *, seconds: str, script: Path | None = None, cookie: str = "") -> tuple[float, str, str]:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run(  # noqa: S603
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{path}: {errors.group(1)} error responses under load\n{out}")
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        print(f"{path}: socket errors: {socket_errors.group(1)}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, re.search(r"50%\s+([\d.]+\w+)", out).group(1), re.search(r"99%\s+([\d.]+\w+)", out).group(1)


def measure(path: str, **kwargs) -> tuple[float, str, str]:
    wrk(path, seconds="3", **kwargs)  # warm-up
    return wrk(path, seconds=DURATION, **kwargs)


def post_script(directory: Path, body: str, jar: dict) -> Path:
    script = directory / "wizard_save.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = {json.dumps(cookie_header(jar))}\n'
        f'wrk.headers["X-CSRFToken"] = {json.dumps(jar["csrftoken"])}\n'
    )
    return script


# --- what to request ----------------------------------------------------------------------------


def targets() -> dict:
    """Paths, accounts and the wizard save's form, read from the seeded database (dev settings)."""
    harness = _load("harness")
    harness.setup_django()
    from learning_hub.models import LearningHubHomePage, ResourceIndexPage, TrainingCalendarPage, TrainingCoursePage
    from portal.roles import Role
    from qpag import scale
    from schools.models import Answer, AuditCycle, AuditReturn, Membership, SettingRole
    from schools.selectors import sections_for_return

    hub = LearningHubHomePage.objects.get()
    cycle = AuditCycle.objects.get(status=AuditCycle.Status.OPEN)
    audit_return = (
        AuditReturn.objects.filter(cycle=cycle, status=AuditReturn.Status.IN_PROGRESS).order_by("setting__urn").first()
    )
    dsl = Membership.objects.filter(setting=audit_return.setting, role=SettingRole.DSL).first().user
    section = sections_for_return(audit_return)[1]
    questions = section.pages[0]
    values = {"compliance": "yes", "short_text": "A name", "long_text": "Words", "number": "3", "date": "1/9/2025"}
    versions = dict(
        Answer.objects.filter(audit_return=audit_return, question__in=questions).values_list("question", "version")
    )
    form = {"save_and_continue": "1"}
    for question in questions:
        form[f"q{question.pk}"] = values.get(question.answer_type, "")
        form[f"q{question.pk}_version"] = str(versions.get(question.pk, 0))
    return {
        "public": [
            ("Hub home", "home", hub.url),
            ("Resources listing, page 2", "listing", ResourceIndexPage.objects.get().url + "?page=2"),
            ("Course page", "detail", TrainingCoursePage.objects.order_by("path").first().url),
            ("Search 'safeguarding'", "search", hub.url + "search/?q=safeguarding"),
            ("Training calendar", "listing", TrainingCalendarPage.objects.get().url),
        ],
        "school": dsl.email,
        "adviser": scale.staff_email(Role.ADVISER),
        "qa": scale.staff_email(Role.QA_MANAGER),
        "password": scale.PASSWORD,
        "task_list": f"/audits/returns/{audit_return.pk}/",
        "wizard": f"/audits/returns/{audit_return.pk}/sections/{section.pk}/pages/1/",
        "wizard_form": form,
        "return_id": audit_return.pk,
        "question_ids": [q.pk for q in questions],
        "seeded_with": f"{audit_return.setting.name}'s return, {len(questions)} questions on the page",
    }


def saved_versions(return_id: int, question_ids: list[int]) -> int:
    from django.db.models import Sum

    from schools.models import Answer

    return (
        Answer.objects.filter(audit_return_id=return_id, question_id__in=question_ids).aggregate(v=Sum("version"))["v"]
        or 0
    )


CALIBRATION = {"share": 1.0}  # /healthz req/s over the reference's bare Django 6,400: how much machine we had


def ratio(rps: float, reference: str) -> str:
    raw = rps / REFERENCE[reference]
    scaled = raw / CALIBRATION["share"]
    return f"{raw:.2f}x {reference} ({REFERENCE[reference]:g}); {scaled:.2f}x scaled by the calibration"


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("bench/http_load.py needs wrk (apt-get install wrk).")
    pages = _load("pages")
    reuse = os.environ.get("BENCH_HTTP_DATABASE")  # an already seeded database: no seeding, not dropped
    url, parts = (pages.database_url(reuse), []) if reuse else pages.create_seeded_database(DB_NAME, "county")
    os.environ["DATABASE_URL"] = url
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    work = Path(tempfile.mkdtemp(prefix="bench-wrk-"))
    try:
        chosen = targets()
        env = Server(url, static_root, cached=False).env
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        rows = []
        with Server(url, static_root, cached=False):
            # Calibration: a view that touches nothing, through the whole middleware stack, against the
            # reference's bare Django view; it shows how much of the machine the load left us.
            rps, p50, p99 = measure("/healthz")
            CALIBRATION["share"] = rps / REFERENCE["bare Django"]
            rows.append(("Bare view /healthz (calibration)", "/healthz", rps, p50, p99, ratio(rps, "bare Django")))
            print(rows[-1])
            for label, kind, path in chosen["public"]:
                rps, p50, p99 = measure(path)
                rows.append((f"{label}, uncached", path, rps, p50, p99, ratio(rps, kind)))
                print(rows[-1])
        subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False, capture_output=True)  # noqa: S607
        with Server(url, static_root, cached=True):
            for label, _kind, path in chosen["public"]:
                rps, p50, p99 = measure(path)
                rows.append((f"{label}, page cache (Redis)", path, rps, p50, p99, ratio(rps, "cached")))
                print(rows[-1])
            school = sign_in(chosen["school"], chosen["password"])
            adviser = sign_in(chosen["adviser"], chosen["password"])
            qa = sign_in(chosen["qa"], chosen["password"])
            for label, jar, path in (
                ("School user's task list", school, chosen["task_list"]),
                ("Adviser home", adviser, "/dashboard/"),
                ("Complaints tracker (QA manager)", qa, "/complaints/"),
            ):
                response, _ = request("GET", path, headers={"Cookie": cookie_header(jar)})
                assert response.status == 200, (path, response.status)  # signed in, not sent to sign in
                rps, p50, p99 = measure(path, cookie=cookie_header(jar))
                rows.append((label, path, rps, p50, p99, "-"))
                print(rows[-1])
            body = urllib.parse.urlencode(chosen["wizard_form"])
            before = saved_versions(chosen["return_id"], chosen["question_ids"])
            rps, p50, p99 = measure(chosen["wizard"], script=post_script(work, body, school))
            saves = saved_versions(chosen["return_id"], chosen["question_ids"]) - before
            rows.append(("Wizard save (POST, save and continue)", chosen["wizard"], rps, p50, p99, "-"))
            print(rows[-1], f"{saves} answer versions written")
        lines = _load("harness").heading("over HTTP, county scale (gunicorn + wrk)") + [
            "Data: `seed_scale --profile county --seed 1` in a scratch PostgreSQL database "
            f"(seeded in {parts[-1][1] if parts else 0:.0f} s).",
            f"Method: gunicorn portal.wsgi with portal.settings.production, 2 sync workers, 127.0.0.1; "
            f"`wrk -t1 -c{CONNECTIONS} -d{DURATION}s --timeout 10s --latency` per page after a 3 s warm-up. "
            "Uncached rows: "
            "PORTAL_PAGE_CACHE_SECONDS=0 and no CACHE_URL; cached rows and signed-in rows: CACHE_URL="
            f"{REDIS_URL} with the default page cache (signed-in pages are never cached). Signed-in rows use a "
            "session cookie from signing in over HTTP; PORTAL_TWO_FACTOR_ENFORCED=0 for this server so staff "
            "need no TOTP code. The wizard save is a wrk Lua POST with the cookie and CSRF token to "
            f"{chosen['seeded_with']}: every request saved ({saves:,} answer versions written, each 302). "
            "Ratios are against issue 9's bakerydemo reference (home 41 req/s, listing 50-65 (57.5 used), "
            "detail 80, search 41, per-site cache 3,300-3,600 (3,450 used); bare Django 6,400); 'scaled' divides "
            "by the calibration row's share of the reference's bare-Django rate, a rough correction for a busy "
            "machine (it assumes our pages slow down in proportion to a trivial view). The machine "
            "(2 cores, wrk on the same cores) was shared with other work while this ran.\n",
            "| page | path | req/s | p50 | p99 | against bakerydemo |",
            "| --- | --- | ---: | ---: | ---: | --- |",
        ]
        lines += [f"| {label} | `{path}` | {rps:.1f} | {p50} | {p99} | {r} |" for label, path, rps, p50, p99, r in rows]
        _load("harness").append_results(lines)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        from django.db import connections

        connections.close_all()
        if not reuse:
            pages.drop_database(DB_NAME)


if __name__ == "__main__":
    main()
