"""Hostile and malformed input to every form in the portal, as a person allowed to use it.

ROUTES names every front-end URL in the portal's namespaces with the object and person to
request it as; a URL without an entry fails `test_every_url_is_in_the_table`, and a page
outside the form list that shows a POST form fails `test_pages_without_an_entry_show_no_form`.
For each form page the test GETs it, reads every form on it (fields, hidden values, the CSRF
token) and posts variations drawn by hypothesis: huge strings, control characters and NUL
bytes, unicode oddities, wrong types, missing and duplicated fields, impossible dates, SQL and
HTML fragments, management-form counts and tampered hidden "which form" and step values.

Every post must give a redirect, or the form again with a GOV.UK error summary and no change to
any table; never a 500; hostile HTML only ever comes back escaped. HOSTILE_EXAMPLES scales the
number of examples per form page (default 60)."""

import copy
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import ANONYMOUS, POSTS_TRIED, SCHOOL_B

FORM = "form"
NAMESPACES = ("portal", "schools", "complaints", "learning_hub", "qpag")


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: Callable[[object], dict]
    who: Callable[[object], object]  # world -> user, or None for anonymous
    kind: str = FORM  # FORM, or the reason the page has no form of its own
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or self.name


def _pk(model_path: str, **filters) -> int:
    from django.apps import apps

    model = apps.get_model(model_path)
    obj = model.objects.filter(**filters).order_by("pk").first()
    assert obj is not None, f"the security world has no {model_path} with {filters}"
    return obj.pk


def _pk_or_zero(model_path: str, **filters) -> int:
    """For downloads the demo may hold nothing to download: pk 0 then gives the 404 the page would."""
    from django.apps import apps

    obj = apps.get_model(model_path).objects.filter(**filters).order_by("pk").first()
    return obj.pk if obj else 0


def role(name):
    def _who(world):
        return None if name == ANONYMOUS else world.user(name)

    return _who


def member_of(*, setting_of: Callable[[], object]):
    """The first member of the setting that setting_of() returns (a school or AP user)."""

    def _who(world):
        from schools.models import Membership

        return Membership.objects.filter(setting=setting_of()).order_by("pk").first().user

    return _who


def none(world) -> dict:
    return {}


def _return(status):
    from schools.models import AuditReturn

    return AuditReturn.objects.filter(status=status).order_by("pk").first()


def _plan(status):
    from schools.models import ActionPlan

    return ActionPlan.objects.filter(status=status).order_by("pk").first()


def _open_action():
    from schools.models import Action

    return (
        Action.objects.filter(status__in=["not_started", "in_progress"], plan__status__in=["agreed", "in_progress"])
        .order_by("pk")
        .first()
    )


def _return_section(status):
    def _kw(world):
        audit_return = _return(status)
        section = audit_return.cycle.questionnaire.sections.order_by("sort_order", "pk").first()
        return {"pk": audit_return.pk, "section_pk": section.pk}

    return _kw


def _reset_kwargs(world) -> dict:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world.user(SCHOOL_B)
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


def _past_booking():
    from learning_hub.models import Booking

    return (
        Booking.objects.filter(status="booked", session__ends_at__lt=timezone.now(), evaluation__isnull=True)
        .exclude(attended=False)
        .order_by("pk")
        .first()
    )


def _future_booking():
    from learning_hub.models import Booking

    return Booking.objects.filter(status="booked", session__starts_at__gt=timezone.now()).order_by("pk").first()


def _booker(booking_of):
    def _who(world):
        booking = booking_of()
        return booking.booked_by if getattr(booking, "booked_by_id", None) else booking.user

    return _who


def _complaint(status):
    def _kw(world):
        return {"pk": _pk("complaints.Complaint", status=status)}

    return _kw


def _panel_audit(world) -> dict:
    from django.db.models import F

    from qpag.models import CaseFileAudit

    audit = (
        CaseFileAudit.objects.filter(panel_discussed_on=None)
        .exclude(auditor_grade="")
        .exclude(moderator_grade="")
        .exclude(auditor_grade=F("moderator_grade"))
        .order_by("pk")
        .first()
    )
    return {"pk": audit.pk}


def _closable_audit(world) -> dict:
    return {
        "pk": _pk_or_zero_excluding("qpag.CaseFileAudit", {"triple_lock_review__status": "open"}, status="moderated")
    }


def _pk_or_zero_excluding(model_path: str, exclude: dict, **filters) -> int:
    from django.apps import apps

    obj = apps.get_model(model_path).objects.filter(**filters).exclude(**exclude).order_by("pk").first()
    assert obj is not None, f"the security world has no {model_path} with {filters} but not {exclude}"
    return obj.pk


def _audit(status):
    def _kw(world):
        return {"pk": _pk("qpag.CaseFileAudit", status=status)}

    return _kw


QA = role("qa_manager")
ADVISER = role("adviser")
SENIOR = role("senior_manager")
ANON = role(ANONYMOUS)
SCHOOL = role("school_user")

POST_ONLY = "POST only: reached through a form on another page, which the hostile test posts to"
DOWNLOAD = "a download or export, no form"
LISTING = "a listing or read-only page: links and GET filters only"

ROUTES: list[Route] = [
    # portal
    Route("portal:sign_in", none, ANON),
    Route("portal:sign_out", none, ADVISER, POST_ONLY),
    Route("portal:signed_out", none, ANON, LISTING),
    Route("portal:session_extend", none, ADVISER, POST_ONLY),
    Route("portal:password_reset", none, ANON),
    Route("portal:password_reset_sent", none, ANON, LISTING),
    Route("portal:password_reset_confirm", _reset_kwargs, ANON),
    Route("portal:password_reset_complete", none, ANON, LISTING),
    Route("portal:dashboard", none, QA, LISTING),
    Route("portal:healthz", none, ANON, "a health probe: plain text"),
    Route("portal:readyz", none, ANON, "a health probe: plain text"),
    Route("portal:invitation_list", none, QA),
    Route("portal:invitation_create", none, QA),
    Route(
        "portal:invitation_withdraw",
        lambda w: {"pk": _pk("accounts.Invitation", accepted_at=None, withdrawn_at=None)},
        QA,
        POST_ONLY,
    ),
    Route("portal:audit_trail", none, QA, LISTING),
    Route("portal:invitation_accept", lambda w: {"token": w.invitation_token}, ANON),
    # schools: audits
    Route("schools:my_returns", none, SCHOOL, LISTING),
    Route("schools:review_queue", none, ADVISER, LISTING),
    Route("schools:cycle_list", none, QA, LISTING),
    Route("schools:cycle_open", none, QA),
    Route("schools:cycle_detail", lambda w: {"pk": _pk("schools.AuditCycle", status="open")}, QA),
    Route("schools:cycle_add_settings", lambda w: {"pk": _pk("schools.AuditCycle", status="open")}, QA),
    Route("schools:cycle_close", lambda w: {"pk": _pk("schools.AuditCycle", status="open")}, QA, POST_ONLY),
    Route(
        "schools:return_task_list",
        lambda w: {"pk": _return("in_progress").pk},
        role(SCHOOL_B),
        "the task list: links to each section",
    ),
    Route("schools:return_section_start", _return_section("in_progress"), role(SCHOOL_B), "redirects to page 1"),
    Route(
        "schools:return_section_page",
        lambda w: {**_return_section("in_progress")(w), "page_number": 1},
        role(SCHOOL_B),
    ),
    Route("schools:return_section_check", _return_section("in_progress"), role(SCHOOL_B)),
    Route("schools:return_section_assign", _return_section("in_progress"), role(SCHOOL_B)),
    Route("schools:return_sign_off", lambda w: {"pk": _return("in_progress").pk}, role(SCHOOL_B)),
    Route("schools:return_submit", lambda w: {"pk": _return("in_progress").pk}, role(SCHOOL_B)),
    Route("schools:return_print", lambda w: {"pk": _return("in_progress").pk}, role(SCHOOL_B), LISTING),
    Route(
        "schools:return_feedback",
        lambda w: {"pk": _return("feedback_sent").pk},
        member_of(setting_of=lambda: _return("feedback_sent").setting),
        LISTING,
    ),
    Route("schools:return_review", lambda w: {"pk": _return("in_review").pk}, ADVISER),
    Route("schools:setting_members", lambda w: {"pk": _return("in_progress").setting.pk}, ADVISER, LISTING),
    Route("schools:setting_member_invite", lambda w: {"pk": _return("in_progress").setting.pk}, ADVISER),
    # schools: action plans
    Route("schools:plan_list", none, ADVISER, LISTING),
    Route("schools:risk_list", none, ADVISER, LISTING),
    Route("schools:plan_detail", lambda w: {"pk": _plan("draft").pk}, ADVISER),
    Route("schools:action_add", lambda w: {"plan_pk": _plan("draft").pk}, ADVISER),
    Route(
        "schools:action_edit",
        lambda w: {"plan_pk": _plan("draft").pk, "pk": _plan("draft").actions.order_by("pk").first().pk},
        ADVISER,
    ),
    Route("schools:plan_from_return", lambda w: {"pk": _return("feedback_sent").pk}, ADVISER, POST_ONLY),
    Route(
        "schools:action_detail",
        lambda w: {"pk": _open_action().pk},
        member_of(setting_of=lambda: _open_action().plan.setting),
    ),
    Route(
        "schools:action_evidence_download",
        lambda w: {"pk": _pk_or_zero("schools.ActionEvidence")},
        ADVISER,
        DOWNLOAD,
    ),
    Route("schools:evidence_download", lambda w: {"pk": _pk("schools.EvidenceFile")}, ADVISER, DOWNLOAD),
    Route("schools:evidence_delete", lambda w: {"pk": _pk("schools.EvidenceFile")}, ADVISER, POST_ONLY),
    # schools: casework
    Route("schools:visit_list", none, ADVISER, LISTING),
    Route("schools:visit_plan", none, ADVISER),
    Route("schools:visit_detail", lambda w: {"pk": _pk("schools.Visit", status="planned")}, ADVISER, LISTING),
    Route("schools:visit_record", lambda w: {"pk": _pk("schools.Visit", status="planned")}, ADVISER),
    Route("schools:visit_cancel", lambda w: {"pk": _pk("schools.Visit", status="planned")}, ADVISER),
    Route("schools:my_visits", none, SCHOOL, LISTING),
    Route("schools:support_offer_list", none, ADVISER, LISTING),
    Route("schools:support_offer_detail", lambda w: {"pk": _pk("schools.SupportOffer", status="open")}, ADVISER),
    Route("schools:allegations_list", none, ADVISER, LISTING),
    Route("schools:allegations_record", none, ADVISER),
    Route("schools:allegations_repeat_issues", none, ADVISER, LISTING),
    Route("schools:allegations_detail", lambda w: {"pk": _pk("schools.AllegationsMeeting")}, ADVISER),
    Route("schools:practice_review_list", none, ADVISER, LISTING),
    Route("schools:practice_review_add", none, ADVISER),
    Route("schools:practice_review_detail", lambda w: {"pk": _pk("schools.PracticeReview")}, ADVISER),
    Route("schools:practice_review_edit", lambda w: {"pk": _pk("schools.PracticeReview")}, ADVISER),
    Route("schools:practice_review_export", lambda w: {"pk": _pk("schools.PracticeReview")}, ADVISER, DOWNLOAD),
    Route("schools:training_needs", none, QA, LISTING),
    Route("schools:training_needs_csv", none, QA, DOWNLOAD),
    # complaints
    Route("complaints:tracker", none, ADVISER, LISTING),
    Route("complaints:tracker_export", none, ADVISER, DOWNLOAD),
    Route("complaints:complaint_new", none, ADVISER),
    *[
        Route("complaints:complaint_detail", _complaint(status), QA, label=f"complaints:complaint_detail[{status}]")
        for status in (
            "received",
            "acknowledged",
            "under_investigation",
            "paused",
            "response_sent",
            "monitoring_learning",
            "closed",
        )
    ],
    Route("complaints:complaint_edit", _complaint("under_investigation"), ADVISER),
    Route("complaints:complaint_response", _complaint("under_investigation"), ADVISER),
    Route("complaints:complaint_response_document", _complaint("response_sent"), QA, DOWNLOAD),
    Route(
        "complaints:complaint_action",
        lambda w: {**_complaint("received")(w), "action": "acknowledge"},
        ADVISER,
        POST_ONLY,
    ),
    Route("complaints:report", none, ADVISER),
    Route("complaints:report_request", none, ADVISER, POST_ONLY),
    Route("complaints:report_list", none, ADVISER, LISTING),
    Route("complaints:report_snapshot", lambda w: {"pk": w.report_pk}, ADVISER),
    Route("complaints:report_status", lambda w: {"pk": w.report_pk}, ADVISER, "progress as JSON"),
    Route("complaints:report_download", lambda w: {"pk": w.report_pk, "fmt": "xlsx"}, ADVISER, DOWNLOAD),
    # learning hub
    Route("learning_hub:session_book", lambda w: {"pk": _future_booking().session_id}, SCHOOL),
    Route("learning_hub:session_attendance", lambda w: {"pk": _past_booking().session_id}, ADVISER),
    Route("learning_hub:session_attendance_export", lambda w: {"pk": _past_booking().session_id}, ADVISER, DOWNLOAD),
    Route("learning_hub:my_bookings", none, SCHOOL, LISTING),
    Route("learning_hub:booking_cancel", lambda w: {"pk": _future_booking().pk}, _booker(_future_booking)),
    Route("learning_hub:booking_evaluation", lambda w: {"pk": _past_booking().pk}, _booker(_past_booking)),
    Route("learning_hub:booking_certificate", lambda w: {"pk": _past_booking().pk}, _booker(_past_booking), DOWNLOAD),
    Route("learning_hub:good_practice_submit", none, SCHOOL),
    Route(
        "learning_hub:good_practice_submitted",
        lambda w: {"pk": w.submission_pk},
        lambda w: w.submission_owner,
        LISTING,
    ),
    Route("learning_hub:my_submissions", none, SCHOOL, LISTING),
    # qpag
    Route("qpag:dashboard", none, QA, LISTING),
    Route("qpag:audits_of_concern", none, QA, LISTING),
    Route("qpag:action_oversight", none, QA, LISTING),
    Route("qpag:extract_list", none, QA, LISTING),
    Route("qpag:extract_upload", none, QA),
    Route("qpag:extract_detail", lambda w: {"pk": _pk("qpag.CaseExtract")}, QA),
    Route("qpag:sample_draw", lambda w: {"pk": _pk("qpag.CaseExtract")}, QA, POST_ONLY),
    Route("qpag:sample_draw_detail", lambda w: {"pk": _pk("qpag.SampleDraw")}, QA, LISTING),
    Route("qpag:case_file_audit_import", none, QA),
    Route("qpag:case_file_audit_import_template", none, QA, DOWNLOAD),
    Route("qpag:case_file_audit_list", none, QA, LISTING),
    Route("qpag:case_file_audit_new", none, QA),
    Route("qpag:case_file_audit_detail", _audit("audited"), QA, "links to each step's own page"),
    Route("qpag:case_file_audit_grade", _audit("notified"), QA),
    Route("qpag:case_file_audit_moderate", _audit("audited"), QA),
    Route("qpag:case_file_audit_close", _closable_audit, QA),
    Route("qpag:case_file_audit_action_add", _audit("moderated"), QA),
    Route(
        "qpag:case_file_audit_action_complete",
        lambda w: {"pk": w.open_casefile_action[0], "action_pk": w.open_casefile_action[1]},
        QA,
    ),
    Route("qpag:triple_lock_review_complete", lambda w: {"pk": w.triple_lock_audit_pk}, QA),
    Route("qpag:moderation_panel_record", _panel_audit, QA),
    Route("qpag:triple_lock_review_list", none, QA, LISTING),
    Route("qpag:moderation_panel", none, QA, LISTING),
    Route("qpag:pack_list", none, QA),
    Route("qpag:pack_new", none, QA, POST_ONLY),
    Route("qpag:pack_detail", lambda w: {"pk": _pk("qpag.QpagPack")}, QA, "links to the narrative and issue pages"),
    Route("qpag:pack_narrative", lambda w: {"pk": _pk("qpag.QpagPack")}, QA),
    Route("qpag:pack_issue", lambda w: {"pk": _pk("qpag.QpagPack")}, QA),
    Route("qpag:pack_download", lambda w: {"pk": _pk("qpag.QpagPack"), "fmt": "pdf"}, QA, DOWNLOAD),
]


# --------------------------------------------------------------------------------------------
# Reading forms
# --------------------------------------------------------------------------------------------

# Forms on every signed-in page (the header's sign-out, the session-timeout dialog): not the page's own.
SITE_WIDE_ACTIONS = {"/sign-out/", "/session/extend/"}


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: tuple = ()
    checked: bool = False


@dataclass
class Form:
    action: str
    enctype: str
    fields: list

    def label(self) -> str:
        names = sorted({f.name for f in self.fields if f.kind == "hidden" and f.name != "csrfmiddlewaretoken"})
        return f"{self.action} ({', '.join(f'{n}={self.hidden(n)}' for n in names)})"

    def hidden(self, name: str) -> str:
        return next((f.value for f in self.fields if f.name == name and f.kind == "hidden"), "")


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=a.get("action", ""), enctype=a.get("enctype", ""), fields=[])
            return
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                if a.get("value"):
                    self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))
                return
            self._form.fields.append(Field(a["name"], kind, a.get("value", ""), checked="checked" in a))
        elif tag == "button" and a.get("name"):
            self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options += (a.get("value", ""),)
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: str, page_url: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        form.action = urljoin(page_url, form.action) if form.action else page_url
        if urlsplit(form.action).path not in SITE_WIDE_ACTIONS:
            forms.append(form)
    return forms


# --------------------------------------------------------------------------------------------
# The URLconf and the table
# --------------------------------------------------------------------------------------------


def portal_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace in NAMESPACES:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_is_in_the_table():
    listed = {route.name for route in ROUTES}
    missing = sorted(portal_url_names() - listed)
    assert not missing, f"URLs with no entry in tests/security/test_hostile_forms.py ROUTES: {missing}"
    gone = sorted(listed - portal_url_names())
    assert not gone, f"ROUTES entries for URLs that no longer exist: {gone}"


def _get(client: Client, route: Route, world, *, follow: bool = False):
    user = route.who(world)
    if user is not None:
        client.force_login(user)
    url = reverse(route.name, kwargs=route.kwargs(world))
    response = client.get(url, follow=follow)
    # Password reset moves the token into the session and redirects to a token-free URL.
    return (response.request["PATH_INFO"] if follow else url), response


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kind not in {FORM, POST_ONLY}], ids=lambda r: r.id)
def test_pages_without_an_entry_show_no_form(route, world):
    client = Client(raise_request_exception=False)
    url, response = _get(client, route, world)
    # A download may have nothing stored to download in the demo data (no issued pack, say): 404.
    allowed = {200, 302, 404} if route.kind == DOWNLOAD else {200, 302}
    assert response.status_code in allowed, f"{route.id} as the permitted user gave {response.status_code}"
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        forms = page_forms(response.content.decode(), url)
        assert not forms, f"{route.id} shows a POST form ({forms[0].action}): list it as FORM in ROUTES"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kind == POST_ONLY], ids=lambda r: r.id)
def test_post_only_urls_refuse_get(route, world):
    client = Client(raise_request_exception=False)
    _url, response = _get(client, route, world)
    assert response.status_code in {302, 405}, f"{route.id}: GET gave {response.status_code}"


# --------------------------------------------------------------------------------------------
# Hostile values
# --------------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_MARKUP = [SCRIPT, IMG, "<svg/onload=alert(1)>", "javascript:alert(1)", "{{ 7*7 }}", "{% debug %}"]
SQL = ["' OR 1=1 --", "'; DROP TABLE schools_setting; --", '" OR ""="', "1; SELECT pg_sleep(0)", "%", "_"]
CONTROL = ["\x00", "a\x00b", "\x01\x02\x1b[31m", "\r\n\r\n", "\t\x0b\x0c", "\u202etxt.exe", "\ufeff", "\u200b"]
UNICODE = ["Zoë Ångström", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "👩‍👩‍👧‍👦", "ﷺ", "Z̸̢̛a̵l̷g̶o̴", "İı", "ß" * 300, "\u0301" * 50]
DATES = ["2026-02-30", "0000-01-01", "0", "99999", "99999-12-31", "31/02/2026", "-1", "2026-13-01", "1e5"]
NUMBERS = ["-1", "0", "1e309", "NaN", "inf", "99999999999999999999999", "0x10", "٣", "1,000", "3.14159", " "]
WRONG_TYPES = ["text", "true", "None", "null", "[]", "{}", "[object Object]"]

# Huge values are drawn as short markers and expanded when posted, so a failing example reads well.
HUGE = {"<100k x>": "x" * 100_000, "<2000 scripts>": SCRIPT * 2000, "<100k digits>": "9" * 100_000}
hostile_text = st.one_of(
    st.sampled_from(sorted(HUGE)),
    st.sampled_from(HOSTILE_MARKUP + SQL + CONTROL + UNICODE + DATES + NUMBERS + WRONG_TYPES),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.integers().map(str),
    st.floats().map(str),
)
FILE_NAMES = ["../../etc/passwd.pdf", "..\\..\\x.pdf", "/etc/passwd.pdf", "C:\\x.pdf", "a.exe", "", "ok.pdf"]
hostile_file = st.builds(
    lambda name, content: SimpleUploadedFile(name or "blank", content),
    st.sampled_from(FILE_NAMES),
    st.one_of(
        st.just(b""), st.just(b"MZ\x90\x00" + b"\x00" * 64), st.just(b"%PDF-1.4\n%%EOF\n"), st.binary(max_size=64)
    ),
)
MANAGEMENT = ["-1", "100000", "x", "", "1e9"]

OPS = ["keep"] * 4 + ["hostile"] * 4 + ["drop", "duplicate"]


def baseline(field: Field) -> str | None:
    """A plausible value for one field, as a person filling the form would give."""
    if field.kind in {"checkbox", "radio"}:
        return field.value or "on"
    if field.kind == "select":
        return field.value or next((o for o in field.options if o), "")
    if field.kind == "hidden" or field.value.strip():
        return field.value
    return {"email": "person@example.org", "number": "3", "date": "2026-11-26"}.get(field.kind, "Plain answer")


def draw_post(data, form: Form) -> tuple[dict, bool, bool]:
    """A hostile variation of `form`'s fields. Returns the post, whether the CSRF token was tampered
    and whether a hidden value (which form, step, object) was."""
    post: dict[str, list] = {}
    radios_done: set[str] = set()
    tampered_csrf = tampered_hidden = False
    for field in form.fields:
        if field.kind == "radio":
            if field.name in radios_done:
                continue
            radios_done.add(field.name)
        if field.kind == "submit":
            post.setdefault(field.name, []).append(field.value)
            continue
        if field.name == "csrfmiddlewaretoken":
            if data.draw(st.integers(0, 19), label="tamper csrf") == 0:
                tampered_csrf = True
                post[field.name] = [data.draw(hostile_text, label="csrf")]
            else:
                post[field.name] = [field.value]
            continue
        op = data.draw(st.sampled_from(OPS), label=f"op {field.name}")
        if field.kind == "file":
            if op != "drop":
                post.setdefault(field.name, []).append(data.draw(hostile_file, label=f"file {field.name}"))
            continue
        tampered_hidden = tampered_hidden or (field.kind == "hidden" and op != "keep")
        if op == "drop":
            continue
        value = baseline(field) if op == "keep" else data.draw(hostile_text, label=field.name)
        post.setdefault(field.name, []).append(value)
        if op == "duplicate":
            post[field.name].append(data.draw(hostile_text, label=f"{field.name} again"))
    if data.draw(st.booleans(), label="management form"):
        for prefix in ("form", data.draw(st.sampled_from(["actions", "answers", "0"]), label="prefix")):
            post[f"{prefix}-TOTAL_FORMS"] = [data.draw(st.sampled_from(MANAGEMENT), label="total")]
            post[f"{prefix}-INITIAL_FORMS"] = [data.draw(st.sampled_from(MANAGEMENT), label="initial")]
            post[f"{prefix}-MAX_NUM_FORMS"] = [data.draw(st.sampled_from(MANAGEMENT), label="max")]
    if data.draw(st.booleans(), label="step names"):
        # Tampered "which form" and wizard-step names: the form's own hidden discriminators and formtools' ones.
        for name in ("form", "step", "which", "action", "wizard_goto_step", "current_step"):
            post.setdefault(name, []).append(data.draw(hostile_text, label=f"step {name}"))
        tampered_hidden = True
    return post, tampered_csrf, tampered_hidden


# --------------------------------------------------------------------------------------------
# Was anything written?
# --------------------------------------------------------------------------------------------

# Written on every request or by design while only reading: sessions, sign-in attempts and logs.
UNTRACKED_TABLE_PREFIXES = ("django_session", "axes_", "wagtailcore_modellogentry", "wagtailcore_pagelogentry")


def _fingerprint_sql() -> str:
    parts = []
    qn = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.proxy or not model._meta.managed or table.startswith(UNTRACKED_TABLE_PREFIXES):
            continue
        pk = qn(model._meta.pk.column)
        updated = "updated_at" in {f.name for f in model._meta.concrete_fields}
        stamp = f"CAST(MAX({qn('updated_at')}) AS VARCHAR(40))" if updated else "''"
        parts.append(f"SELECT '{table}', COUNT(*), CAST(MAX({pk}) AS VARCHAR(100)), {stamp} FROM {qn(table)}")  # noqa: S608 - names from the model registry
    return " UNION ALL ".join(sorted(set(parts)))


def fingerprint() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return {row[0]: row[1:] for row in cursor.fetchall()}


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "60"))

# Where a refused post is right, and why. Any other status (and every 500) fails.
#  - 403 and nothing else when the CSRF token was tampered with;
#  - 400, 403 or 404 when a hidden value was tampered with (the "which form" name, a step, an
#    object's id): the page refuses a form it never offered, or an object that is not there.
TAMPERED_HIDDEN_REFUSALS = {400, 403, 404}
ERROR_SUMMARY = 'class="govuk-error-summary'
RAW_MARKUP = re.compile(re.escape(SCRIPT) + "|" + re.escape("<img src=x onerror=alert(1)>"))


def _summary(post: dict) -> str:
    def short(value):
        text = value.name if hasattr(value, "name") else str(value)
        return repr(text[:40]) + ("…" if len(text) > 40 else "")

    return ", ".join(f"{k}=[{', '.join(short(v) for v in vs)}]" for k, vs in post.items())


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kind == FORM], ids=lambda r: r.id)
def test_hostile_posts(route, world):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    page_url, response = _get(client, route, world, follow=True)
    assert response.status_code == 200, f"{route.id}: GET as the permitted user gave {response.status_code}"
    forms = page_forms(response.content.decode(), page_url)
    assert forms, f"{route.id} is listed as a form page but shows no POST form"
    # A post that signs someone in (an accepted invitation) rotates the session and CSRF cookies;
    # the database is rolled back after each post, so the cookies go back to these too.
    cookies = copy.deepcopy(client.cookies)
    # Every post is rolled back, so the tables are the same before each one: read them once.
    before = fingerprint()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=os.environ.get("HOSTILE_RANDOM", "") != "1",
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def post_hostile(data):
        form = forms[data.draw(st.integers(0, len(forms) - 1), label="form number")]
        post, tampered_csrf, tampered_hidden = draw_post(data, form)
        post = {name: [HUGE.get(v, v) if isinstance(v, str) else v for v in values] for name, values in post.items()}
        where = f"{route.id}: form {form.label()}"
        client.cookies = copy.deepcopy(cookies)
        with transaction.atomic():
            try:
                response = client.post(form.action, post)
            except Exception as error:  # noqa: BLE001 - any exception is the failure being looked for
                pytest.fail(f"{where} raised {error!r} for {_summary(post)}")
            POSTS_TRIED["hostile"] += 1
            status = response.status_code
            assert status != 500, f"{where} gave 500 for {_summary(post)}"
            if tampered_csrf:
                assert status == 403, f"{where} accepted a tampered CSRF token ({status})"
            elif status == 200:
                body = response.content.decode()
                # A tampered "which form" value gets the page back with a message ("Choose what to do"),
                # as no form of its own was posted: no error summary, but nothing written either.
                if not tampered_hidden:
                    assert ERROR_SUMMARY in body, f"{where}: 200 without an error summary for {_summary(post)}"
                assert fingerprint() == before, f"{where}: a rejected post changed data: {_summary(post)}"
            elif tampered_hidden and status in TAMPERED_HIDDEN_REFUSALS:
                assert fingerprint() == before, f"{where}: a refused post changed data: {_summary(post)}"
            else:
                assert status in {302, 303}, f"{where} gave {status} for {_summary(post)}"
            if "html" in response.get("Content-Type", ""):
                found = RAW_MARKUP.search(response.content.decode(errors="replace"))
                assert not found, f"{where} echoed {found.group(0)!r} unescaped"
            transaction.set_rollback(True)

    post_hostile()


# --------------------------------------------------------------------------------------------
# The 500s this test found, each pinned down (the fixes are in the app code)
# --------------------------------------------------------------------------------------------


def test_a_date_beyond_any_integer_is_a_form_error_not_a_500(world):
    """complaints.forms.GovukDateField: date() raised OverflowError for day 2147483648."""
    client = Client(raise_request_exception=False)
    client.force_login(world.user("adviser"))
    pk = _pk("complaints.Complaint", status="received")
    url = reverse("complaints:complaint_action", kwargs={"pk": pk, "action": "acknowledge"})
    data = {"acknowledge-on_day": "2147483648", "acknowledge-on_month": "11", "acknowledge-on_year": "2026"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert ERROR_SUMMARY in response.content.decode() and "must be a real date" in response.content.decode()


def test_year_0000_in_the_audit_list_filter_is_a_form_error_not_a_500(world):
    """qpag.forms_casefile: month "0000-10" matched the pattern and date(0, 10, 1) raised ValueError."""
    client = Client(raise_request_exception=False)
    client.force_login(world.user("qa_manager"))
    response = client.get(reverse("qpag:case_file_audit_list"), {"month": "0000-10"})
    assert response.status_code == 200
    assert "Enter the month as a year and month" in response.content.decode()


def test_an_over_long_sign_in_name_is_a_form_error_not_a_500(world):
    """portal.forms.SignInForm: the name reached authenticate() and axes' 255-character column."""
    client = Client(raise_request_exception=False)
    response = client.post(reverse("portal:sign_in"), {"username": "9" * 300, "password": "x"})
    assert response.status_code == 200
    assert ERROR_SUMMARY in response.content.decode()
    assert "254 characters or fewer" in response.content.decode()
