"""The complaints tracker list: who may see it, its filters, search, sorting, paging, counts,
clocks, and the same number of queries however many complaints there are."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import clocks, services
from complaints.models import Complaint, ReceivedVia, Source, Status
from portal.models import Theme
from portal.roles import Role
from schools.models import Setting, SettingKind

TRACKER = reverse("complaints:tracker")
EXPORT = reverse("complaints:tracker_export")


def today() -> datetime.date:
    """The view's own today, so clocks built here agree with the page."""
    return timezone.localdate()


def ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def page_text(client, url=TRACKER, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> list[str]:
    """References of the complaints in the tracker table, in the order shown."""
    table = html.split('id="complaints"', 1)
    if len(table) < 2:
        return []
    return re.findall(r">(SC-\d{4}-\d{4})</a>", table[1].split("</table>", 1)[0])


def bulk_complaints(count: int, *, adviser, start: int = 1000, received_on=None, theme=None) -> list[Complaint]:
    """Many complaints cheaply (no service, no timeline): each at its own setting."""
    received_on = received_on or ago(1)
    settings = Setting.objects.bulk_create(
        [
            Setting(name=f"Bulk School {n}", urn=f"{800000 + n}", kind=SettingKind.MAINTAINED_SCHOOL)
            for n in range(start, start + count)
        ]
    )
    due = clocks.acknowledge_due_on(received_on, 3)
    complaints = Complaint.objects.bulk_create(
        [
            Complaint(
                reference=f"SC-{received_on.year}-{n:04d}",
                year=received_on.year,
                number=n,
                setting=setting,
                received_on=received_on,
                source=Source.PARENT,
                received_via=ReceivedVia.EMAIL,
                complainant_name="Bulk Complainant",
                complainant_contact="bulk@example.net",
                summary="Bulk",
                assigned_adviser=adviser,
                status=Status.RECEIVED,
                acknowledge_target_days=3,
                respond_target_days=20,
                acknowledge_due_on=due,
                respond_due_on=clocks.respond_due_on(received_on, 20, 0),
                clock_due_on=due,
            )
            for n, setting in zip(range(start, start + count), settings, strict=True)
        ]
    )
    theme = theme or Theme.objects.first()
    Complaint.themes.through.objects.bulk_create(
        [Complaint.themes.through(complaint_id=c.pk, theme_id=theme.pk) for c in complaints]
    )
    return complaints


# Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [TRACKER, EXPORT])
def test_anonymous_people_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign_in"))


@pytest.mark.parametrize("url", [TRACKER, EXPORT])
@pytest.mark.parametrize(
    "role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.EDITOR, Role.COMMISSIONING_OFFICER], ids=str
)
def test_people_without_a_complaints_role_get_404(client, user_for_role, complaint, url, role):
    client.force_login(user_for_role(role))
    assert client.get(url).status_code == 404


def test_the_settings_own_dsl_gets_404(client, setting_member, complaint):
    client.force_login(setting_member)
    assert client.get(TRACKER).status_code == 404


@pytest.mark.parametrize("role", [Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER], ids=str)
def test_advisers_and_managers_see_the_tracker(client, make_user, complaint, role):
    client.force_login(make_user(role, email=f"viewer-{role.value}@example.org"))
    html = page_text(client)
    assert complaint.reference in html


# What a row shows -----------------------------------------------------------------------------


def test_a_row_shows_the_complaint_without_the_complainant(client, adviser, make_complaint, setting):
    theme = Theme.objects.get(slug="dsl-role")
    complaint = make_complaint(setting, source=Source.OFSTED, complainant_name="Jo Secret", themes=[theme])
    client.force_login(adviser)
    html = page_text(client).split('id="complaints"', 1)[1].split("</table>", 1)[0]
    assert f'href="/complaints/{complaint.pk}/"' in html
    assert "Oakfield Primary School" in html
    assert "Ofsted notification" in html
    assert theme.name in html
    assert "Ada Adviser" in html
    assert "Received" in html
    assert "Jo Secret" not in html
    assert "pat.parent@example.net" not in html


def test_an_unassigned_complaint_says_so(client, adviser, make_complaint, setting):
    make_complaint(setting, assigned_adviser=None)
    client.force_login(adviser)
    assert "Not assigned" in page_text(client)


def test_log_a_complaint_button_for_people_who_work_on_complaints_only(
    client, adviser, qa_manager, senior_manager, complaint
):
    for user, shown in ((adviser, True), (qa_manager, True), (senior_manager, False)):
        client.force_login(user)
        assert ("Log a complaint" in page_text(client)) is shown


def test_repeat_setting_tag(client, adviser, make_complaint, setting, other_setting):
    make_complaint(setting, received_on=ago(200), today=today())
    make_complaint(setting, received_on=ago(2), today=today())
    make_complaint(other_setting, received_on=ago(2), today=today())
    make_complaint(other_setting, received_on=ago(400), today=today())  # outside the 12 months
    client.force_login(adviser)
    html = page_text(client, show="all")
    rows = html.split('id="complaints"', 1)[1].split("<tr")
    oakfield = [row for row in rows if "Oakfield Primary School" in row]
    riverside = [row for row in rows if "Riverside Academy" in row]
    assert len(oakfield) == 2 and all("Repeat setting" in row for row in oakfield)
    assert len(riverside) == 2 and not any("Repeat setting" in row for row in riverside)


def test_overdue_rows_are_marked_in_text_and_class(client, adviser, make_complaint, setting, other_setting):
    late = make_complaint(setting, received_on=ago(30), today=today())
    fresh = make_complaint(other_setting, received_on=today(), today=today())
    client.force_login(adviser)
    html = page_text(client)
    rows = html.split('id="complaints"', 1)[1].split("<tr")
    late_row = next(row for row in rows if late.reference in row)
    fresh_row = next(row for row in rows if fresh.reference in row)
    assert "portal-tracker__row--overdue" in late_row and "Overdue" in late_row and "govuk-tag--red" in late_row
    assert "portal-tracker__row--overdue" not in fresh_row and "Overdue" not in fresh_row
    assert "Due soon" in fresh_row


# Open, closed and status ----------------------------------------------------------------------


@pytest.fixture
def open_and_closed(make_complaint, setting, other_setting, adviser):
    open_one = make_complaint(setting, received_on=ago(3), today=today())
    closed_one = make_complaint(other_setting, received_on=ago(3), today=today())
    services.complaint_withdraw(
        complaint=closed_one, user=adviser, on=today(), reason="No longer wanted", today=today()
    )
    return open_one, closed_one


def test_open_complaints_by_default_then_closed_or_all(client, adviser, open_and_closed):
    open_one, closed_one = open_and_closed
    client.force_login(adviser)
    assert listed(page_text(client)) == [open_one.reference]
    assert listed(page_text(client, show="closed")) == [closed_one.reference]
    assert set(listed(page_text(client, show="all"))) == {open_one.reference, closed_one.reference}


def test_status_filter(client, adviser, make_complaint, setting, other_setting):
    received = make_complaint(setting)
    acknowledged = make_complaint(other_setting)
    services.complaint_acknowledge(complaint=acknowledged, user=adviser, on=acknowledged.received_on, today=today())
    client.force_login(adviser)
    assert listed(page_text(client, status="acknowledged")) == [acknowledged.reference]
    assert listed(page_text(client, status="received")) == [received.reference]


def test_status_counts_cover_every_status_in_one_caption(client, adviser, open_and_closed):
    client.force_login(adviser)
    html = page_text(client)
    counts = html.split('id="status-counts"', 1)[1].split("</table>", 1)[0]
    assert "Counts include every complaint, open and closed." in counts
    assert re.search(r"Received</a></th>\s*<td[^>]*>1</td>", counts)
    assert re.search(r"Withdrawn</a></th>\s*<td[^>]*>1</td>", counts)
    assert re.search(r"Closed</th>\s*<td[^>]*>0</td>", counts)
    assert re.search(r"Total</th>\s*<td[^>]*><strong>2</strong>", counts)
    # The status links keep the other filters and show open and closed complaints alike.
    assert "status=withdrawn" in counts and "show=all" in counts


def test_status_counts_follow_the_other_filters(client, adviser, open_and_closed, setting):
    client.force_login(adviser)
    html = page_text(client, setting=setting.pk)
    counts = html.split('id="status-counts"', 1)[1].split("</table>", 1)[0]
    assert "matching your other filters" in counts
    assert re.search(r"Withdrawn</th>\s*<td[^>]*>0</td>", counts)
    assert re.search(r"Total</th>\s*<td[^>]*><strong>1</strong>", counts)


# Each filter ----------------------------------------------------------------------------------


def test_setting_filter_lists_only_settings_with_complaints(client, adviser, make_complaint, setting, other_setting):
    here = make_complaint(setting)
    Setting.objects.create(name="Quiet Nursery", urn="910099", kind=SettingKind.MAINTAINED_SCHOOL)
    make_complaint(other_setting)
    client.force_login(adviser)
    html = page_text(client, setting=setting.pk)
    assert listed(html) == [here.reference]
    assert "Quiet Nursery" not in html


def test_source_filter(client, adviser, make_complaint, setting):
    ofsted = make_complaint(setting, source=Source.OFSTED)
    make_complaint(setting, source=Source.PARENT)
    client.force_login(adviser)
    assert listed(page_text(client, source="ofsted")) == [ofsted.reference]


def test_adviser_filter_and_not_assigned(client, adviser, second_adviser, make_complaint, setting):
    mine = make_complaint(setting)
    theirs = make_complaint(setting, assigned_adviser=second_adviser)
    nobody = make_complaint(setting, assigned_adviser=None)
    client.force_login(adviser)
    assert listed(page_text(client, adviser=adviser.pk)) == [mine.reference]
    assert listed(page_text(client, adviser=second_adviser.pk)) == [theirs.reference]
    assert listed(page_text(client, adviser="none")) == [nobody.reference]


def test_theme_filter_lists_a_complaint_once(client, adviser, make_complaint, setting):
    themes = list(Theme.objects.all()[:2])
    both = make_complaint(setting, themes=themes)
    make_complaint(setting, themes=themes[1:])
    make_complaint(setting, themes=[])
    client.force_login(adviser)
    assert listed(page_text(client, theme=themes[0].pk)) == [both.reference]
    assert len(listed(page_text(client, theme=themes[1].pk))) == 2


def test_received_date_range(client, adviser, make_complaint, setting):
    old = make_complaint(setting, received_on=datetime.date(2026, 9, 1))
    mid = make_complaint(setting, received_on=datetime.date(2026, 10, 15))
    new = make_complaint(setting, received_on=datetime.date(2026, 11, 20))
    client.force_login(adviser)
    assert listed(page_text(client, received_from="1/10/2026", received_to="31/10/2026")) == [mid.reference]
    assert listed(page_text(client, received_from="2026-10-15")) == [new.reference, mid.reference]
    assert listed(page_text(client, received_to="1/9/2026")) == [old.reference]


def test_search_by_reference_or_setting_name(client, adviser, make_complaint, setting, other_setting):
    first = make_complaint(setting)
    second = make_complaint(other_setting)
    client.force_login(adviser)
    assert listed(page_text(client, q=second.reference.lower())) == [second.reference]
    assert listed(page_text(client, q="oakfield")) == [first.reference]
    assert listed(page_text(client, q="  riverside ")) == [second.reference]


@pytest.fixture
def every_clock(make_complaint, adviser):
    """One complaint in each clock state, relative to the view's today."""
    t = today()
    made = {}
    for n, state in enumerate(clocks.CLOCK_LABELS):
        setting = Setting.objects.create(name=f"Clock School {state}", urn=f"92000{n}", kind=SettingKind.ACADEMY)
        received = {clocks.OVERDUE: ago(30), clocks.PAUSED: ago(5), clocks.STOPPED: ago(5)}.get(state, t)
        complaint = make_complaint(setting, received_on=received, today=t)
        if state in {clocks.ON_TRACK, clocks.PAUSED}:
            services.complaint_acknowledge(complaint=complaint, user=adviser, on=received, today=t)
            services.complaint_start_investigation(complaint=complaint, user=adviser)
        if state == clocks.PAUSED:
            services.complaint_pause(complaint=complaint, user=adviser, on=t, reason="Waiting for the school", today=t)
        if state == clocks.STOPPED:
            services.complaint_withdraw(complaint=complaint, user=adviser, on=t, reason="Withdrawn", today=t)
        complaint.refresh_from_db()
        assert clocks.clock_state(complaint, t, 3) == state, state
        made[state] = complaint
    return made


@pytest.mark.parametrize("state", list(clocks.CLOCK_LABELS))
def test_clock_filter(client, adviser, every_clock, state):
    client.force_login(adviser)
    html = page_text(client, clock=state, show="all")
    assert listed(html) == [every_clock[state].reference]
    assert clocks.CLOCK_LABELS[state] in html.split('id="complaints"', 1)[1]


def test_clock_filter_uses_the_due_soon_setting(client, adviser, every_clock):
    targets = services.complaints_settings()
    targets.due_soon_days = 0
    targets.save()
    client.force_login(adviser)
    # Due in 3 working days is no longer "due soon" when amber starts on the day itself.
    assert listed(page_text(client, clock="due_soon")) == []
    assert every_clock[clocks.DUE_SOON].reference in listed(page_text(client, clock="on_track"))


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"received_from": "31/02/2026"}, "Received from must be a real date"),
        ({"received_to": "tomorrow"}, "Received to must be a real date"),
        ({"received_from": "20/11/2026", "received_to": "1/11/2026"}, "Received to must be the same as or after"),
        ({"status": "lost"}, "Choose a status from the list"),
        ({"setting": "999999"}, "Choose a setting from the list"),
        ({"setting": "not-a-number"}, "Choose a setting from the list"),
        ({"adviser": "abc"}, "Choose an adviser from the list"),
        ({"clock": "late"}, "Choose a clock state from the list"),
        ({"show": "everything"}, "Choose open, closed or all complaints"),
    ],
)
def test_bad_filters_are_reported_not_500(client, adviser, complaint, params, message):
    client.force_login(adviser)
    html = page_text(client, **params)
    assert "There is a problem" in html
    assert message in html
    assert "govuk-error-summary" in html
    # The bad value is ignored: the list still shows what the rest of the filters allow.
    assert complaint.reference in listed(html)


def test_bad_sort_and_page_are_ignored(client, adviser, complaint):
    client.force_login(adviser)
    html = page_text(client, sort="summary", page="many")
    assert listed(html) == [complaint.reference]
    assert "There is a problem" not in html


def test_the_typed_values_are_kept(client, adviser, complaint):
    client.force_login(adviser)
    html = page_text(client, q="Oak", received_from="1/11/2026", received_to="31/10/2026")
    assert 'value="Oak"' in html and 'value="1/11/2026"' in html and 'value="31/10/2026"' in html


# Sorting --------------------------------------------------------------------------------------


@pytest.fixture
def three(make_complaint, setting, other_setting, adviser):
    zed = Setting.objects.create(name="Zed Academy", urn="910003", kind=SettingKind.ACADEMY)
    a = make_complaint(zed, received_on=ago(10), today=today())  # SC-…-0001, overdue
    b = make_complaint(setting, received_on=ago(1), today=today())  # 0002, received, due soon-ish
    c = make_complaint(other_setting, received_on=ago(5), today=today())  # 0003
    services.complaint_acknowledge(complaint=c, user=adviser, on=c.received_on, today=today())
    return a, b, c


def test_default_sort_is_newest_received_first(client, adviser, three):
    a, b, c = three
    client.force_login(adviser)
    html = page_text(client)
    assert listed(html) == [b.reference, c.reference, a.reference]
    assert re.search(r'aria-sort="descending"><a [^>]*href="\?sort=received"', html)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("received", "acb"),
        ("reference", "abc"),
        ("-reference", "cba"),
        ("setting", "bca"),  # Oakfield, Riverside, Zed
        ("-setting", "acb"),
        ("status", "bac"),  # received (newest first among equals), then acknowledged
        ("-status", "cba"),
        ("due", "abc"),  # acknowledge by 3 working days after 10 days ago, after 1 day ago; respond by
        ("-due", "cba"),
    ],
)
def test_sorting(client, adviser, three, sort, order):
    by_letter = dict(zip("abc", three, strict=True))
    client.force_login(adviser)
    html = page_text(client, sort=sort)
    assert listed(html) == [by_letter[letter].reference for letter in order]


def test_sortable_headers_say_which_way(client, adviser, three):
    client.force_login(adviser)
    html = page_text(client, sort="reference", status="received")
    assert re.search(r'aria-sort="ascending"><a [^>]*href="\?sort=-reference&amp;status=received"', html)
    assert html.count('aria-sort="none"') == 4
    # Sorting goes back to the first page and keeps the filters.
    assert 'href="?sort=setting&amp;status=received"' in html


def test_due_sort_puts_stopped_clocks_last(client, adviser, every_clock):
    client.force_login(adviser)
    for sort in ("due", "-due"):
        refs = listed(page_text(client, sort=sort, show="all"))
        assert len(refs) == 5
        assert set(refs[-2:]) == {every_clock[clocks.PAUSED].reference, every_clock[clocks.STOPPED].reference}


# Paging ---------------------------------------------------------------------------------------


def test_pages_of_25_keep_the_filters(client, adviser, setting):
    bulk_complaints(30, adviser=adviser)
    client.force_login(adviser)
    html = page_text(client, source="parent", sort="reference")
    refs = listed(html)
    assert len(refs) == 25
    assert "30 complaints, showing 1 to 25" in html
    assert 'href="?source=parent&amp;sort=reference&amp;page=2"' in html
    second = page_text(client, source="parent", sort="reference", page=2)
    assert len(listed(second)) == 5
    assert set(listed(second)).isdisjoint(refs)
    assert 'href="?source=parent&amp;sort=reference&amp;page=1"' in second


def test_the_export_form_carries_the_filters(client, adviser, qa_manager, complaint):
    client.force_login(adviser)
    html = page_text(client, source="parent", sort="reference", page="1")
    export = html.split('id="tracker-export"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="source" value="parent">' in export
    assert '<input type="hidden" name="sort" value="reference">' in export
    assert 'name="page"' not in export
    assert 'name="personal"' not in export  # advisers cannot take complainants' details away
    client.force_login(qa_manager)
    html = page_text(client)
    assert "Include complainant contact details" in html.split('id="tracker-export"', 1)[1]


# Empty states ---------------------------------------------------------------------------------


def test_no_complaints_at_all(client, adviser):
    client.force_login(adviser)
    html = page_text(client)
    assert "There are no complaints." in html
    assert 'id="tracker-export"' not in html


def test_no_complaints_match(client, adviser, complaint):
    client.force_login(adviser)
    html = page_text(client, source="dfe")
    assert "No complaints match your filters." in html
    assert f'<a class="govuk-link" href="{TRACKER}">Clear filters</a>' in html


def test_no_open_complaints_offers_all(client, adviser, open_and_closed):
    open_one, _closed = open_and_closed
    services.complaint_withdraw(complaint=open_one, user=adviser, on=today(), reason="Gone", today=today())
    client.force_login(adviser)
    html = page_text(client)
    assert "There are no open complaints." in html
    assert 'href="?show=all"' in html


# Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("filtered", [False, True], ids=["default", "filtered-sorted-page-2"])
def test_the_page_takes_the_same_queries_for_5_and_60_complaints(
    client, qa_manager, second_adviser, django_assert_max_num_queries, filtered
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    theme = Theme.objects.first()
    params = {"theme": theme.pk, "adviser": second_adviser.pk, "sort": "status", "page": 2} if filtered else {}
    bulk_complaints(5, adviser=second_adviser, theme=theme)
    client.force_login(qa_manager)
    client.get(TRACKER)  # warm the caches (site settings, bank holidays)
    with CaptureQueriesContext(connection) as five:
        page_text(client, **params)
    bulk_complaints(55, adviser=second_adviser, start=2000, theme=theme)
    with django_assert_max_num_queries(len(five)):
        assert len(listed(page_text(client, **params))) == 25


def test_the_shared_pagination_include_keeps_other_parameters(rf, db):
    """templates/includes/pagination.html serves every list: same `page` variable as before,
    and its links now keep whatever else is in the query string."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(list(range(60)), 25).get_page(2)
    html = render_to_string("includes/pagination.html", {"page": page}, request=rf.get("/list/?status=open&page=2"))
    assert 'href="?status=open&amp;page=1" rel="prev"' in html
    assert 'href="?status=open&amp;page=3" rel="next"' in html
    assert 'href="?status=open&amp;page=2" aria-label="Page 2" aria-current="page"' in html
    plain = render_to_string("includes/pagination.html", {"page": page}, request=rf.get("/list/"))
    assert 'href="?page=3"' in plain
