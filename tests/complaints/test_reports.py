"""The quarterly complaints report: quarter arithmetic, every figure checked against numbers worked
out by hand on a small history of complaints, the SVG charts and the XLSX and PDF files."""

import datetime
import io
import json
import re
import zlib

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from complaints import services
from complaints.charts import bar_chart_svg
from complaints.models import ComplaintResponse, Outcome, Source, Status
from complaints.quarters import (
    CALENDAR,
    FINANCIAL,
    Quarter,
    last_complete_quarter,
    previous_quarter,
    quarter_bounds,
    quarter_containing,
)
from complaints.report_files import report_pdf, report_pdf_html, report_xlsx
from complaints.reports import percentile, quarterly_figures, report_context
from portal.models import Theme
from schools import services_plans
from schools.models import ActionPlan, Setting, SettingKind

from .conftest import TODAY

D = datetime.date.fromisoformat
Q2 = Quarter(FINANCIAL, 2026, 2)  # 1 July to 30 September 2026; the previous quarter is April to June


# Quarters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "year", "number", "expected"),
    [
        (FINANCIAL, 2026, 1, ("Q1 2026-27", D("2026-04-01"), D("2026-06-30"))),
        (FINANCIAL, 2026, 2, ("Q2 2026-27", D("2026-07-01"), D("2026-09-30"))),
        (FINANCIAL, 2026, 3, ("Q3 2026-27", D("2026-10-01"), D("2026-12-31"))),
        (FINANCIAL, 2026, 4, ("Q4 2026-27", D("2027-01-01"), D("2027-03-31"))),
        (FINANCIAL, 2099, 4, ("Q4 2099-00", D("2100-01-01"), D("2100-03-31"))),
        (CALENDAR, 2026, 1, ("Q1 2026", D("2026-01-01"), D("2026-03-31"))),
        (CALENDAR, 2026, 4, ("Q4 2026", D("2026-10-01"), D("2026-12-31"))),
        (CALENDAR, 2028, 1, ("Q1 2028", D("2028-01-01"), D("2028-03-31"))),
    ],
)
def test_quarter_bounds(basis, year, number, expected):
    assert quarter_bounds(basis, year, number) == expected


@pytest.mark.parametrize(
    ("day", "basis", "expected"),
    [
        ("2026-04-01", FINANCIAL, Quarter(FINANCIAL, 2026, 1)),
        ("2026-03-31", FINANCIAL, Quarter(FINANCIAL, 2025, 4)),
        ("2027-02-10", FINANCIAL, Quarter(FINANCIAL, 2026, 4)),
        ("2026-12-31", FINANCIAL, Quarter(FINANCIAL, 2026, 3)),
        ("2026-01-01", FINANCIAL, Quarter(FINANCIAL, 2025, 4)),
        ("2026-12-31", CALENDAR, Quarter(CALENDAR, 2026, 4)),
        ("2026-01-01", CALENDAR, Quarter(CALENDAR, 2026, 1)),
        ("2026-07-15", CALENDAR, Quarter(CALENDAR, 2026, 3)),
    ],
)
def test_quarter_containing(day, basis, expected):
    quarter = quarter_containing(D(day), basis)
    assert quarter == expected
    assert quarter.contains(D(day))


def test_previous_quarter_crosses_the_year_boundary():
    assert previous_quarter(Quarter(FINANCIAL, 2026, 1)) == Quarter(FINANCIAL, 2025, 4)
    assert Quarter(FINANCIAL, 2025, 4).starts_on == D("2026-01-01")  # Q4 2025-26 is Jan to Mar 2026
    assert previous_quarter(Quarter(CALENDAR, 2026, 1)) == Quarter(CALENDAR, 2025, 4)
    assert previous_quarter(Quarter(CALENDAR, 2026, 1)).label == "Q4 2025"
    assert previous_quarter(Quarter(FINANCIAL, 2026, 3)) == Quarter(FINANCIAL, 2026, 2)
    # Financial Q4 runs into the next calendar year, and the quarter before Q1 is that Q4.
    assert Quarter(FINANCIAL, 2026, 1).previous().ends_on == D("2026-03-31")


def test_last_complete_quarter():
    assert last_complete_quarter(TODAY) == Quarter(FINANCIAL, 2026, 2)
    assert last_complete_quarter(D("2026-10-01")) == Quarter(FINANCIAL, 2026, 2)
    assert last_complete_quarter(D("2026-04-01")) == Quarter(FINANCIAL, 2025, 4)
    assert last_complete_quarter(TODAY, CALENDAR) == Quarter(CALENDAR, 2026, 3)
    assert last_complete_quarter(D("2026-01-05"), CALENDAR) == Quarter(CALENDAR, 2025, 4)


@pytest.mark.parametrize(("basis", "year", "number"), [("weekly", 2026, 1), (FINANCIAL, 2026, 0), (CALENDAR, 2026, 5)])
def test_impossible_quarters_are_refused(basis, year, number):
    with pytest.raises(ValueError):
        Quarter(basis, year, number)


# Percentiles -------------------------------------------------------------------------------


def test_percentile_interpolates_linearly_between_closest_ranks():
    assert percentile([], 0.5) is None
    assert percentile([7], 0.9) == 7
    assert percentile([4, 1, 3, 2], 0.5) == 2.5
    assert percentile([1, 2, 3, 4], 0.9) == 3.7  # position 2.7: 3 + 0.7 * (4 - 3)
    assert percentile([15, 18, 20, 29], 0.9) == 26.3


# The hand-computed history ------------------------------------------------------------------
#
# Targets: acknowledge within 3 working days, respond within 20 (the defaults). Bank holidays from
# the seeded list that matter here: Good Friday 3 April, Easter Monday 6 April, 4 May, 25 May and
# the summer bank holiday, Monday 31 August 2026.
#
# Settings: Oakfield (maintained school), Riverside (academy), Hillview (special school).
#
# Q2 2026-27 (1 July to 30 September 2026):
#  C1 Oakfield, parent, themes DSL + safer recruitment, received Wed 1 Jul. Acknowledged Fri 3 Jul
#     (due Mon 6 Jul: in time). Response sent Wed 22 Jul: 15 working days (in time), upheld.
#     Learning plan opened 29 Jul, completed 15 Sep; complaint closed 16 Sep.
#  C2 Oakfield, staff, online safety, received Mon 3 Aug. Acknowledged Thu 6 Aug (due that day: in
#     time). Paused Mon 10 Aug, resumed Mon 17 Aug: 5 working days paused. Response sent Fri 4 Sep:
#     23 working days less 5 paused = 18 (in time; 31 Aug is a bank holiday), partly upheld.
#     Closed with no learning on 5 Oct, after the quarter: still open at quarter end.
#  C3 Riverside, Ofsted, safer recruitment, received Mon 6 Jul. Acknowledged Mon 13 Jul (due Thu
#     9 Jul: late). Response sent Fri 14 Aug: 29 working days (late), not upheld. Learning plan
#     opened 20 Aug, not complete: monitoring learning at quarter end (open).
#  C4 Riverside, Ofsted, DSL, received Tue 1 Sep. Acknowledged Wed 2 Sep (in time). Investigating;
#     respond by Tue 29 Sep, before 30 Sep, no response: OPEN AND OVERDUE at quarter end.
#  C5 Hillview, parent, DSL, received Mon 13 Jul, acknowledged Tue 14 Jul (in time), withdrawn
#     Mon 20 Jul.
#  C6 Oakfield, anonymous, no theme, received Mon 7 Sep; acknowledged Wed 7 Oct (next quarter);
#     respond by Mon 5 Oct: open, not overdue at quarter end.
#  C7 Riverside, pupil, online safety, received Wed 1 Jul, acknowledged Thu 2 Jul (in time).
#     Respond by Wed 29 Jul, but paused on Mon 10 Aug and never resumed: open, and not counted
#     overdue because it is paused at quarter end.
#  C8 Oakfield, parent, DSL, received Tue 30 Jun (the previous quarter), acknowledged Wed 1 Jul
#     (due Fri 3 Jul: in time, counted in Q2). Response sent Tue 28 Jul: exactly 20 working days
#     (in time), upheld. Closed with no learning on 30 Jul.
# Q1 2026-27 (1 April to 30 June 2026):
#  C9 Riverside, DfE, records, received Wed 1 Apr, acknowledged Thu 2 Apr (due Wed 8 Apr after
#     Easter: in time). Response sent Fri 29 May: 38 working days (late), not upheld. Closed with no
#     learning on 1 Jun.
#  C10 Oakfield, Ofsted, DSL, received Mon 11 May, acknowledged that day (in time). Response sent
#     Mon 8 Jun: 19 working days (25 May is a bank holiday; in time), upheld. Learning plan opened
#     10 Jun, completed 5 Aug (Q2); complaint closed 6 Aug.
# Q3 2026-27: C11 Hillview, parent, received Fri 2 Oct: in no figure here.
# Distractor: an action plan from another source opened in July, never counted.


def _at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(D(day), datetime.time(12, 0)))


@pytest.fixture
def hillview(db):
    return Setting.objects.create(name="Hillview Special School", urn="910003", kind=SettingKind.SPECIAL_SCHOOL)


@pytest.fixture
def history(make_complaint, setting, other_setting, hillview, adviser, qa_manager):
    themes = {theme.slug: theme for theme in Theme.objects.all()}

    def log(where, received, source, slugs):
        return make_complaint(where, received_on=D(received), source=source, themes=[themes[s] for s in slugs])

    def acknowledge(complaint, on):
        return services.complaint_acknowledge(complaint=complaint, user=adviser, on=D(on), today=TODAY)

    def respond(complaint, sent_on, outcome):
        services.complaint_start_investigation(complaint=complaint, user=adviser)
        services.response_save(complaint=complaint, user=adviser, findings="Findings.", outcome=outcome, body="Body.")
        services.response_submit(complaint=complaint, user=adviser)
        services.response_sign_off(complaint=complaint, user=qa_manager)
        # History: the sign-off happened on the day the response went out.
        ComplaintResponse.objects.filter(complaint=complaint).update(signed_off_at=_at(sent_on))
        return services.response_mark_sent(complaint=complaint, user=adviser, on=D(sent_on), today=TODAY)

    def learning(complaint, opened, completed=None):
        plan = services.learning_plan_open(complaint=complaint, user=adviser, title="Learning")
        # History: the plan's own dates, as if opened (and completed) on those days.
        ActionPlan.objects.filter(pk=plan.pk).update(created_at=_at(opened))
        if completed:
            ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.COMPLETE, completed_at=_at(completed))
        return plan

    def close(complaint, on):
        complaint.refresh_from_db()
        return services.complaint_close(complaint=complaint, user=adviser, on=D(on), today=TODAY)

    c1 = log(setting, "2026-07-01", Source.PARENT, ["dsl-role", "safer-recruitment"])
    acknowledge(c1, "2026-07-03")
    respond(c1, "2026-07-22", Outcome.UPHELD)
    learning(c1, "2026-07-29", "2026-09-15")
    close(c1, "2026-09-16")

    c2 = log(setting, "2026-08-03", Source.STAFF, ["online-safety"])
    acknowledge(c2, "2026-08-06")
    services.complaint_start_investigation(complaint=c2, user=adviser)
    services.complaint_pause(complaint=c2, user=adviser, on=D("2026-08-10"), reason="Waiting for the log", today=TODAY)
    services.complaint_resume(complaint=c2, user=adviser, on=D("2026-08-17"), today=TODAY)
    services.response_save(complaint=c2, user=adviser, findings="Findings.", outcome=Outcome.PARTLY_UPHELD, body="B")
    services.response_submit(complaint=c2, user=adviser)
    services.response_sign_off(complaint=c2, user=qa_manager)
    ComplaintResponse.objects.filter(complaint=c2).update(signed_off_at=_at("2026-09-04"))
    services.response_mark_sent(complaint=c2, user=adviser, on=D("2026-09-04"), today=TODAY)
    close(c2, "2026-10-05")

    c3 = log(other_setting, "2026-07-06", Source.OFSTED, ["safer-recruitment"])
    acknowledge(c3, "2026-07-13")
    respond(c3, "2026-08-14", Outcome.NOT_UPHELD)
    learning(c3, "2026-08-20")

    c4 = log(other_setting, "2026-09-01", Source.OFSTED, ["dsl-role"])
    acknowledge(c4, "2026-09-02")
    services.complaint_start_investigation(complaint=c4, user=adviser)

    c5 = log(hillview, "2026-07-13", Source.PARENT, ["dsl-role"])
    acknowledge(c5, "2026-07-14")
    services.complaint_withdraw(complaint=c5, user=adviser, on=D("2026-07-20"), reason="Resolved", today=TODAY)

    c6 = log(setting, "2026-09-07", Source.ANONYMOUS, [])
    acknowledge(c6, "2026-10-07")

    c7 = log(other_setting, "2026-07-01", Source.PUPIL, ["online-safety"])
    acknowledge(c7, "2026-07-02")
    services.complaint_start_investigation(complaint=c7, user=adviser)
    services.complaint_pause(complaint=c7, user=adviser, on=D("2026-08-10"), reason="Police enquiry", today=TODAY)

    c8 = log(setting, "2026-06-30", Source.PARENT, ["dsl-role"])
    acknowledge(c8, "2026-07-01")
    respond(c8, "2026-07-28", Outcome.UPHELD)
    close(c8, "2026-07-30")

    c9 = log(other_setting, "2026-04-01", Source.DFE, ["records"])
    acknowledge(c9, "2026-04-02")
    respond(c9, "2026-05-29", Outcome.NOT_UPHELD)
    close(c9, "2026-06-01")

    c10 = log(setting, "2026-05-11", Source.OFSTED, ["dsl-role"])
    acknowledge(c10, "2026-05-11")
    respond(c10, "2026-06-08", Outcome.UPHELD)
    learning(c10, "2026-06-10", "2026-08-05")
    close(c10, "2026-08-06")

    log(hillview, "2026-10-02", Source.PARENT, ["dsl-role"])

    other = services_plans.plan_create(
        user=adviser, setting=hillview, source=ActionPlan.Source.OTHER, title="Not from a complaint"
    )
    ActionPlan.objects.filter(pk=other.pk).update(created_at=_at("2026-07-15"))
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6, "c7": c7, "c8": c8, "c9": c9, "c10": c10}


def test_the_history_is_as_described(history):
    """The working days worked out by hand above, as the services recorded them."""
    for complaint in history.values():
        complaint.refresh_from_db()
    days = {key: c.response_working_days for key, c in history.items() if c.response_working_days is not None}
    assert days == {"c1": 15, "c2": 18, "c3": 29, "c8": 20, "c9": 38, "c10": 19}
    assert history["c2"].paused_working_days == 5
    assert history["c4"].respond_due_on == D("2026-09-29")
    assert history["c6"].respond_due_on == D("2026-10-05")
    assert history["c7"].respond_due_on == D("2026-07-29")
    assert history["c7"].status == Status.PAUSED
    assert history["c3"].acknowledge_due_on == D("2026-07-09")
    assert history["c9"].acknowledge_due_on == D("2026-04-08")


def _zeros(choices, **counts):
    return {key: counts.get(key, 0) for key in choices}


def test_quarterly_figures_for_all_complaints(history):
    figures = quarterly_figures(quarter=Q2)
    assert (figures["label"], figures["starts_on"], figures["ends_on"]) == ("Q2 2026-27", "2026-07-01", "2026-09-30")
    assert figures["previous"] == {"label": "Q1 2026-27", "starts_on": "2026-04-01", "ends_on": "2026-06-30"}
    section = figures["sections"][0]
    assert (section["key"], section["source"]) == ("all", "")
    now, before = section["current"], section["previous"]

    # Received in Q2: C1-C7 (C8 came on 30 June, C11 in October).
    assert now["received"] == 7
    assert now["by_source"] == _zeros(Source.values, parent=2, staff=1, ofsted=2, anonymous=1, pupil=1)
    assert now["by_theme"] == {"dsl-role": 3, "safer-recruitment": 2, "online-safety": 2, "": 1}
    assert now["by_kind"] == _zeros(SettingKind.values, maintained_school=3, academy=3, special_school=1)
    # Acknowledged in Q2: C1, C2, C3, C4, C5, C7, C8; only C3 late.
    assert (now["acknowledged"], now["acknowledged_within_target"]) == (7, 6)
    assert now["acknowledged_within_target_percent"] == 85.7
    # Responses sent in Q2: C1 (15 days), C2 (18), C3 (29, late), C8 (20).
    assert (now["responses_sent"], now["answered_within_target"], now["answered_within_target_percent"]) == (4, 3, 75.0)
    assert now["outcomes"] == {"upheld": 2, "partly_upheld": 1, "not_upheld": 1}
    assert now["response_days_median"] == 19.0  # (18 + 20) / 2
    assert now["response_days_p90"] == 26.3  # position 2.7 of [15, 18, 20, 29]: 20 + 0.7 * 9
    # Open on 30 September: C2 (closed 5 Oct), C3, C4, C6, C7. Overdue: C4 only (C7 is paused).
    assert (now["open_at_end"], now["overdue_at_end"]) == (5, 1)
    # 12 months to 30 September: Oakfield C1 C2 C6 C8 C10, Riverside C3 C4 C7 C9, Hillview only C5.
    assert now["repeat_settings"] == [
        {"setting_id": history["c1"].setting_id, "name": "Oakfield Primary School", "urn": "910001", "count": 5},
        {"setting_id": history["c3"].setting_id, "name": "Riverside Academy", "urn": "910002", "count": 4},
    ]
    assert now["repeat_settings_count"] == 2
    # Learning among responses sent in Q2: C1 and C3 (C2 and C8 closed with none).
    assert now["learning_identified"] == 2
    # Plans from complaints: C1's and C3's opened in Q2; C1's and C10's completed in Q2.
    assert (now["plans_opened"], now["plans_completed"]) == (2, 2)

    # The previous quarter, Q1 2026-27: C8, C9, C10 received.
    assert before["received"] == 3
    assert before["by_source"] == _zeros(Source.values, parent=1, dfe=1, ofsted=1)
    assert before["by_theme"] == {"dsl-role": 2, "records": 1}
    assert before["by_kind"] == _zeros(SettingKind.values, maintained_school=2, academy=1)
    assert (before["acknowledged"], before["acknowledged_within_target"]) == (2, 2)
    assert before["acknowledged_within_target_percent"] == 100.0
    assert (before["responses_sent"], before["answered_within_target"]) == (2, 1)
    assert before["answered_within_target_percent"] == 50.0
    assert before["outcomes"] == {"upheld": 1, "partly_upheld": 0, "not_upheld": 1}
    assert before["response_days_median"] == 28.5  # [19, 38]
    assert before["response_days_p90"] == 36.1  # 19 + 0.9 * 19
    # Open on 30 June: C8 (received that day) and C10 (closed 6 Aug). Neither overdue then.
    assert (before["open_at_end"], before["overdue_at_end"]) == (2, 0)
    assert [(row["name"], row["count"]) for row in before["repeat_settings"]] == [("Oakfield Primary School", 2)]
    assert before["learning_identified"] == 1
    assert (before["plans_opened"], before["plans_completed"]) == (1, 0)


def test_quarterly_figures_for_ofsted_complaints(history):
    section = quarterly_figures(quarter=Q2)["sections"][1]
    assert (section["key"], section["title"], section["source"]) == ("ofsted", "Ofsted complaints", "ofsted")
    now, before = section["current"], section["previous"]
    # Q2: C3 and C4.
    assert now["received"] == 2
    assert now["by_source"] == _zeros(Source.values, ofsted=2)
    assert now["by_theme"] == {"safer-recruitment": 1, "dsl-role": 1}
    assert now["by_kind"] == _zeros(SettingKind.values, academy=2)
    assert (now["acknowledged"], now["acknowledged_within_target"], now["acknowledged_within_target_percent"]) == (
        2,
        1,
        50.0,
    )
    assert (now["responses_sent"], now["answered_within_target"], now["answered_within_target_percent"]) == (1, 0, 0.0)
    assert now["outcomes"] == {"upheld": 0, "partly_upheld": 0, "not_upheld": 1}
    assert (now["response_days_median"], now["response_days_p90"]) == (29, 29)
    assert (now["open_at_end"], now["overdue_at_end"]) == (2, 1)
    assert [(row["name"], row["count"]) for row in now["repeat_settings"]] == [("Riverside Academy", 2)]
    assert now["learning_identified"] == 1
    assert (now["plans_opened"], now["plans_completed"]) == (1, 1)  # C3's opened; C10's completed
    # Q1: C10.
    assert before["received"] == 1
    assert before["by_theme"] == {"dsl-role": 1}
    assert (before["acknowledged"], before["acknowledged_within_target"]) == (1, 1)
    assert (before["responses_sent"], before["answered_within_target"]) == (1, 1)
    assert before["outcomes"] == {"upheld": 1, "partly_upheld": 0, "not_upheld": 0}
    assert (before["response_days_median"], before["response_days_p90"]) == (19, 19)
    assert (before["open_at_end"], before["overdue_at_end"]) == (1, 0)
    assert before["repeat_settings"] == []
    assert before["learning_identified"] == 1
    assert (before["plans_opened"], before["plans_completed"]) == (1, 0)


def test_an_empty_quarter_has_zeros_and_no_percentages(db):
    now = quarterly_figures(quarter=Q2)["sections"][0]["current"]
    assert now["received"] == 0
    assert now["acknowledged_within_target_percent"] is None
    assert now["response_days_median"] is None and now["response_days_p90"] is None
    context = report_context(quarterly_figures(quarter=Q2))
    measures = {m["key"]: m for m in context["sections"][0]["measures"]}
    assert measures["acknowledged_within_target"]["current"] == "None to count"
    assert measures["response_days_median"]["current"] == "None sent"


def test_figures_are_plain_json_and_render_the_same_after_a_round_trip(history):
    figures = quarterly_figures(quarter=Q2)
    stored = json.loads(json.dumps(figures))
    assert stored == figures
    assert report_pdf_html(stored) == report_pdf_html(figures)
    labels = dict(map(tuple, figures["labels"]["theme"]))
    assert labels["dsl-role"] == "The designated safeguarding lead"
    assert labels[""] == "No theme recorded"


def test_figures_take_a_fixed_number_of_queries(history, make_complaint, setting, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        quarterly_figures(quarter=Q2)
    for day in range(1, 25):
        make_complaint(setting, received_on=D(f"2026-08-{day:02d}"))
    with django_assert_max_num_queries(30):
        figures = quarterly_figures(quarter=Q2)
    assert figures["sections"][0]["current"]["received"] == 31


def test_report_context_pairs_each_row_with_the_previous_quarter(history):
    context = report_context(quarterly_figures(quarter=Q2))
    assert (context["label"], context["previous_label"]) == ("Q2 2026-27", "Q1 2026-27")
    assert context["ends_on"] == D("2026-09-30")
    all_section, ofsted = context["sections"]
    measures = {m["key"]: m for m in all_section["measures"]}
    assert (measures["received"]["current"], measures["received"]["previous"]) == ("7", "3")
    assert measures["acknowledged_within_target"]["current"] == "6 of 7 (85.7%)"
    assert measures["answered_within_target"]["previous"] == "1 of 2 (50%)"
    assert measures["response_days_p90"]["current"] == "26.3"
    breakdowns = {b["key"]: b for b in all_section["breakdowns"]}
    themes = [(row["label"], row["current"], row["previous"]) for row in breakdowns["by_theme"]["rows"]]
    # Themes in the taxonomy's order; only those complained about in one quarter or the other.
    assert themes == [
        ("The designated safeguarding lead", 3, 2),
        ("Safer recruitment", 2, 0),
        ("Online safety, filtering and monitoring", 2, 0),
        ("Records and information sharing", 0, 1),
        ("No theme recorded", 1, 0),
    ]
    assert "by_source" not in {b["key"] for b in ofsted["breakdowns"]}
    assert 'role="img"' in str(breakdowns["by_source"]["chart"])


# Charts ------------------------------------------------------------------------------------


def test_bar_chart_is_accessible_svg_with_escaped_labels():
    svg = str(
        bar_chart_svg(
            chart_id="chart-test",
            title="Complaints <by> source",
            rows=[("<script>alert(1)</script>", 3), ("Parent & carer", 0)],
            previous=[1, 2],
            series=("Q2 2026-27", "Q1 2026-27"),
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert '<title id="chart-test-title">Complaints &lt;by&gt; source</title>' in svg
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Parent &amp; carer: 0 (Q1 2026-27: 2)" in svg  # the text alternative lists every figure
    assert "url(#chart-test-hatch)" in svg  # the previous quarter differs by pattern, not colour alone
    assert "Q1 2026-27</text>" in svg  # the legend names both series
    assert ">3</text>" in svg  # every bar carries its value


def test_bar_chart_without_a_previous_series_or_any_values():
    svg = str(bar_chart_svg(chart_id="c", title="Nothing", rows=[("A", 0), ("B", 0)]))
    assert "hatch" not in svg
    assert svg.count(">0</text>") == 2
    assert "No figures" in str(bar_chart_svg(chart_id="d", title="Empty", rows=[]))
    with pytest.raises(ValueError):
        bar_chart_svg(chart_id="e", title="Uneven", rows=[("A", 1)], previous=[1, 2])


# Files -------------------------------------------------------------------------------------


def test_xlsx_has_a_sheet_per_section_with_the_previous_quarter(history):
    workbook = load_workbook(io.BytesIO(report_xlsx(quarterly_figures(quarter=Q2))))
    assert workbook.sheetnames == ["All complaints", "Ofsted complaints", "How these are counted"]
    sheet = workbook["All complaints"]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert ("Measure", "Q2 2026-27", "Q1 2026-27 (previous quarter)") in rows
    values = {row[0]: row[1:3] for row in rows if row and row[0]}
    assert values["Complaints received"] == (7, 3)
    assert values["Acknowledged within target (%)"] == (0.857, 1.0)
    assert values["Median working days to respond"] == (19, 28.5)
    assert values["Overdue at quarter end"] == (1, 0)
    assert values["Oakfield Primary School"] == ("910001", 5)
    ofsted = {row[0]: row[1:3] for row in workbook["Ofsted complaints"].iter_rows(values_only=True) if row and row[0]}
    assert ofsted["Complaints received"] == (2, 1)
    assert "Parent or carer" not in ofsted  # no by-source table in the Ofsted section


def test_pdf_is_a_tagged_pdf_with_the_charts_and_tables(history):
    figures = quarterly_figures(quarter=Q2)
    html = report_pdf_html(figures)
    assert '<html lang="en-GB">' in html
    assert "<title>Quarterly complaints report Q2 2026-27</title>" in html
    assert "Liberation Sans" in html and "@page" in html
    assert html.count('role="img"') == 7  # four charts for all complaints, three for Ofsted's
    assert "<caption" in html
    pdf = report_pdf(figures)
    assert pdf.startswith(b"%PDF")
    objects = _pdf_objects(pdf)
    assert b"/StructTreeRoot" in objects  # tagged, for PDF/UA
    assert b"pdfuaid" in objects  # declares PDF/UA-1 in its metadata


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed object streams inflated, to look for the structure tree."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(inflated)
