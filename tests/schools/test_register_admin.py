"""The settings register and questionnaire admin: the GIAS upload, listings with filters and
export, constant-query listings, the published-questionnaire lock, publish and copy forward."""

import datetime
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.permissions import policy_registry

from portal.roles import Role
from schools.filters import OFSTED_CONCERN, OFSTED_NO_CONCERN, OFSTED_NOT_INSPECTED, settings_by_latest_ofsted
from schools.models import Membership, OfstedInspection, Question, Questionnaire, Section, Setting, TrustMembership
from schools.models.questionnaires import PUBLISHED_IS_FROZEN
from schools.models.register import OfstedJudgement, ReportCardOutcome, SettingKind, SettingRole
from schools.services_questionnaires import (
    academic_year_next,
    questionnaire_copy_to_next_year,
    questionnaire_publish,
)
from tests.schools.conftest import build_questionnaire

SAMPLE = Path(__file__).resolve().parents[2] / "schools" / "data" / "gias_sample.csv"
UPLOAD_URL = reverse("schools_gias_import:upload")
SETTINGS_URL = reverse("schools_setting:index")
INSPECTIONS_URL = reverse("schools_ofstedinspection:index")
MEMBERSHIPS_URL = reverse("schools_membership:index")
TRUST_MEMBERSHIPS_URL = reverse("schools_trustmembership:index")
QUESTIONNAIRES_URL = reverse("wagtailsnippets_schools_questionnaire:list")
QUESTIONS_URL = reverse("wagtailsnippets_schools_question:list")


def questionnaire_url(name: str, questionnaire: Questionnaire) -> str:
    return reverse(f"wagtailsnippets_schools_questionnaire:{name}", args=[questionnaire.pk])


def question_url(name: str, question: Question) -> str:
    return reverse(f"wagtailsnippets_schools_question:{name}", args=[question.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def make_setting(n: int, **kwargs) -> Setting:
    values = {"name": f"School {n:03d}", "urn": f"{910000 + n}", "kind": SettingKind.MAINTAINED_SCHOOL}
    values.update(kwargs)
    return Setting.objects.create(**values)


def inspect(setting: Setting, on: str, **kwargs) -> OfstedInspection:
    return OfstedInspection.objects.create(setting=setting, inspected_on=datetime.date.fromisoformat(on), **kwargs)


# GIAS upload -------------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "gias.csv"):
    return client.post(UPLOAD_URL, {"csv_file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_qa_manager_uploads_the_sample_and_sees_the_report(client, qa_manager):
    client.force_login(qa_manager)
    assert client.get(UPLOAD_URL).status_code == 200

    response = upload(client, SAMPLE.read_bytes())

    assert response.status_code == 200
    html = response.content.decode()
    assert "What the import did" in html
    assert Setting.objects.count() == 40
    assert any("40 created, 0 updated, 0 unchanged, 0 rejected" in m for m in messages_of(response))


def test_upload_report_lists_rejected_rows_with_reasons(client, qa_manager):
    client.force_login(qa_manager)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace("900101", "90O101", 1)  # a letter O for a zero
    content = "\ufeff" + "\n".join([lines[0], bad, lines[2], lines[2]]) + "\n"

    response = upload(client, content.encode("utf-8"))

    html = response.content.decode()
    assert "Rejected rows" in html
    assert "is not a 6 or 7 digit number" in html
    assert "appears more than once in the file" in html
    assert Setting.objects.count() == 1


def test_upload_without_the_gias_columns_shows_the_error_and_writes_nothing(client, qa_manager):
    client.force_login(qa_manager)
    response = upload(client, b"URN,EstablishmentName\n912345,Somewhere\n")
    assert response.status_code == 200
    assert "The file is not a GIAS extract" in response.content.decode()
    assert Setting.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"URN\n900001\n", "gias.xlsx", "its name should end in .csv"),
        (b"x" * (5 * 1024 * 1024 + 1), "gias.csv", "the limit is 5 MB"),
        ("URN,EstablishmentName\n900001,Ysgol Gŵyr\n".encode("utf-16"), "gias.csv", "not UTF-8"),
        (b"PK\x03\x04\x00\x00\x08\x00binary", "gias.csv", "not a text CSV"),
    ],
    ids=["not-csv", "too-big", "not-utf8", "binary"],
)
def test_upload_refuses_bad_files_with_a_clear_error(client, qa_manager, content, name, error):
    client.force_login(qa_manager)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Setting.objects.count() == 0


def test_upload_with_no_file_asks_for_one(client, qa_manager):
    client.force_login(qa_manager)
    response = client.post(UPLOAD_URL, {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ADVISER, Role.SENIOR_MANAGER, Role.COMMISSIONING_OFFICER, Role.EDITOR])
def test_other_staff_get_403_at_the_upload(client, user_for_role, role):
    client.force_login(user_for_role(role))
    assert client.get(UPLOAD_URL).status_code == 403
    assert upload(client, SAMPLE.read_bytes()).status_code == 403
    assert Setting.objects.count() == 0


def test_school_users_get_403_at_the_upload(client, school_user):
    client.force_login(school_user)
    response = client.get(UPLOAD_URL)
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


def test_superuser_may_upload(client, make_user):
    client.force_login(make_user(is_superuser=True))
    assert upload(client, SAMPLE.read_bytes()).status_code == 200
    assert Setting.objects.count() == 40


def test_menu_offers_the_register_to_staff_and_the_upload_only_to_qa_managers(
    client, qa_manager, adviser, user_for_role
):
    client.force_login(qa_manager)
    html = client.get("/admin/").content.decode()
    assert "Settings register" in html and "Import from GIAS" in html and "Questionnaires" in html

    client.force_login(adviser)
    html = client.get("/admin/").content.decode()
    assert "Settings register" in html
    assert "Import from GIAS" not in html

    client.force_login(user_for_role(Role.EDITOR))
    html = client.get("/admin/").content.decode()
    assert "Settings register" not in html


# Listings, filters and export ------------------------------------------------------------


@pytest.fixture
def register(db, make_user):
    """Three settings whose latest Ofsted differs, with people at them."""
    concern = make_setting(1, name="Ashcombe Primary", locality="North", phase="primary")
    improved = make_setting(
        2, name="Brackenford Academy", kind=SettingKind.ACADEMY, locality="East", trust_name="Kestrel"
    )
    never = make_setting(3, name="Coldharbour Special", kind=SettingKind.SPECIAL_SCHOOL, locality="North")
    inspect(concern, "2021-03-01", overall_effectiveness=OfstedJudgement.GOOD, safeguarding_effective=True)
    inspect(concern, "2026-01-10", report_card_safeguarding=ReportCardOutcome.NOT_MET)
    inspect(improved, "2020-05-01", overall_effectiveness=OfstedJudgement.INADEQUATE, safeguarding_effective=False)
    inspect(improved, "2024-06-01", overall_effectiveness=OfstedJudgement.GOOD, safeguarding_effective=True)
    dsl = make_user(Role.SCHOOL_USER, email="dsl@ashcombe.example.org", first_name="Dana", last_name="Ashby")
    Membership.objects.create(user=dsl, setting=concern, role=SettingRole.DSL)
    ceo = make_user(Role.SCHOOL_USER, email="ceo@kestrel.example.org", first_name="Kit", last_name="Kestrel")
    TrustMembership.objects.create(user=ceo, trust_name="Kestrel")
    return {"concern": concern, "improved": improved, "never": never}


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [(OFSTED_CONCERN, {"concern"}), (OFSTED_NO_CONCERN, {"improved"}), (OFSTED_NOT_INSPECTED, {"never"})],
)
def test_ofsted_outcome_filter_reads_only_the_latest_inspection(register, outcome, expected):
    found = set(settings_by_latest_ofsted(Setting.objects.all(), outcome))
    assert found == {register[name] for name in expected}
    # The database filter and the model's own idea of a concern agree.
    for setting in Setting.objects.prefetch_related("inspections"):
        latest = setting.latest_inspection
        assert (setting in found) == {
            OFSTED_CONCERN: latest is not None and latest.safeguarding_concern,
            OFSTED_NO_CONCERN: latest is not None and not latest.safeguarding_concern,
            OFSTED_NOT_INSPECTED: latest is None,
        }[outcome]


def test_settings_listing_searches_and_filters(client, qa_manager, register):
    client.force_login(qa_manager)
    html = client.get(SETTINGS_URL).content.decode()
    assert all(s.name in html for s in register.values())
    assert "10 Jan 2026: Not met (safeguarding concern)" in html

    html = client.get(SETTINGS_URL, {"ofsted_outcome": OFSTED_CONCERN}).content.decode()
    assert "Ashcombe Primary" in html and "Brackenford Academy" not in html

    html = client.get(SETTINGS_URL, {"locality": "North", "kind": SettingKind.SPECIAL_SCHOOL}).content.decode()
    assert "Coldharbour Special" in html and "Ashcombe Primary" not in html

    html = client.get(SETTINGS_URL, {"phase": "primary"}).content.decode()
    assert "Ashcombe Primary" in html and "Coldharbour Special" not in html

    html = client.get(SETTINGS_URL, {"q": "910002"}).content.decode()
    assert "Brackenford Academy" in html and "Ashcombe Primary" not in html


def test_settings_export_is_a_csv_of_the_filtered_register(client, qa_manager, register):
    client.force_login(qa_manager)
    response = client.get(SETTINGS_URL, {"export": "csv", "locality": "North"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("URN,Name,Kind,Phase,Locality")
    assert "Latest Ofsted safeguarding concern" in lines[0]
    assert len(lines) == 3
    assert any(line.startswith("910001,Ashcombe Primary,Maintained school,") and "2026-01-10" in line for line in lines)

    assert client.get(SETTINGS_URL, {"export": "xlsx"}).status_code == 200


@pytest.mark.parametrize(
    ("url", "params", "shown"),
    [
        (INSPECTIONS_URL, {"safeguarding_concern": "true"}, "Ashcombe Primary"),
        (INSPECTIONS_URL, {"overall_effectiveness": OfstedJudgement.INADEQUATE}, "Brackenford Academy"),
        (MEMBERSHIPS_URL, {"role": SettingRole.DSL, "q": "ashcombe"}, "Dana Ashby"),
        (TRUST_MEMBERSHIPS_URL, {"trust_name": "Kestrel"}, "Kit Kestrel"),
    ],
)
def test_register_listings_load_filtered_and_export(client, qa_manager, register, url, params, shown):
    client.force_login(qa_manager)
    response = client.get(url, params)
    assert response.status_code == 200
    assert shown in response.content.decode()

    export = client.get(url, {**params, "export": "csv"})
    assert export.status_code == 200
    assert shown in b"".join(export.streaming_content).decode()


def test_inspections_filter_by_setting_from_the_setting_page(client, qa_manager, register):
    client.force_login(qa_manager)
    page = client.get(reverse("schools_setting:inspect", args=[register["improved"].pk])).content.decode()
    assert "Ofsted inspections" in page
    assert "1 June 2024" in page and "1 May 2020" in page

    response = client.get(INSPECTIONS_URL, {"setting": register["improved"].pk, "export": "csv"})
    rows = b"".join(response.streaming_content).decode().strip().splitlines()[1:]
    assert [row.split(",")[:3] for row in rows] == [
        ["910002", "Brackenford Academy", "2024-06-01"],
        ["910002", "Brackenford Academy", "2020-05-01"],
    ]


def add_inspected_settings(total: int) -> None:
    for n in range(Setting.objects.count(), total):
        setting = make_setting(n, locality="North" if n % 2 else "South")
        inspect(setting, "2023-01-01", overall_effectiveness=OfstedJudgement.GOOD)
        inspect(setting, "2025-01-01", overall_effectiveness=OfstedJudgement.REQUIRES_IMPROVEMENT)


def test_settings_listing_queries_do_not_grow_with_rows(client, qa_manager, django_assert_max_num_queries):
    client.force_login(qa_manager)
    filters = {"ofsted_outcome": OFSTED_CONCERN, "locality": "North", "phase": "not_applicable"}
    add_inspected_settings(5)
    client.get(SETTINGS_URL)  # warm per-process caches (content types, site settings)
    with CaptureQueriesContext(connection) as five_rows:
        assert client.get(SETTINGS_URL, filters).status_code == 200
        assert client.get(SETTINGS_URL).status_code == 200

    add_inspected_settings(30)
    # The latest Ofsted column comes from one prefetch, so 30 rows cost what 5 did.
    with django_assert_max_num_queries(len(five_rows)):
        response = client.get(SETTINGS_URL, filters)
        assert response.status_code == 200
        assert client.get(SETTINGS_URL).status_code == 200
    assert response.content.decode().count("(safeguarding concern)") == 15


@pytest.mark.parametrize("url", [QUESTIONS_URL, MEMBERSHIPS_URL, INSPECTIONS_URL, QUESTIONNAIRES_URL])
def test_other_listings_query_count_is_the_same_for_5_and_30_rows(client, qa_manager, make_user, url):
    client.force_login(qa_manager)
    counts = []
    for total in (5, 30):
        while True:
            existing = {
                QUESTIONS_URL: Question.objects.count,
                QUESTIONNAIRES_URL: Questionnaire.objects.count,
                MEMBERSHIPS_URL: Membership.objects.count,
                INSPECTIONS_URL: OfstedInspection.objects.count,
            }[url]()
            if existing >= total:
                break
            if url in {QUESTIONS_URL, QUESTIONNAIRES_URL}:
                build_questionnaire(year=f"{1900 + existing}/{(1901 + existing) % 100:02d}", sections=1, per_section=1)
            elif url == MEMBERSHIPS_URL:
                Membership.objects.create(
                    user=make_user(Role.SCHOOL_USER), setting=make_setting(existing), role=SettingRole.DSL
                )
            else:
                inspect(make_setting(existing), "2024-01-01", overall_effectiveness=OfstedJudgement.GOOD)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def refused_by_wagtail(response) -> bool:
    # Wagtail's admin answers a PermissionDenied with its home page and a message.
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_advisers_read_the_register_but_cannot_change_it(client, adviser, register):
    client.force_login(adviser)
    setting = register["concern"]
    assert client.get(SETTINGS_URL).status_code == 200
    assert client.get(reverse("schools_setting:inspect", args=[setting.pk])).status_code == 200
    assert refused_by_wagtail(client.get(reverse("schools_setting:add")))
    assert refused_by_wagtail(client.post(reverse("schools_setting:edit", args=[setting.pk]), {"name": "Changed"}))
    assert refused_by_wagtail(client.post(reverse("schools_setting:delete", args=[setting.pk])))
    setting.refresh_from_db()
    assert setting.name == "Ashcombe Primary"


def test_advisers_cannot_edit_questionnaires(client, adviser):
    draft = build_questionnaire(year="2023/24", publish=False)
    client.force_login(adviser)
    assert client.get(QUESTIONNAIRES_URL).status_code == 200
    assert refused_by_wagtail(client.get(questionnaire_url("edit", draft)))


def test_editors_do_not_see_the_register(client, user_for_role, register):
    client.force_login(user_for_role(Role.EDITOR))
    assert refused_by_wagtail(client.get(SETTINGS_URL))
    assert refused_by_wagtail(client.get(QUESTIONNAIRES_URL))


def test_qa_manager_adds_a_setting_and_the_urn_is_checked(client, qa_manager):
    client.force_login(qa_manager)
    data = {"name": "Hollowmere Primary", "urn": "12AB", "kind": SettingKind.ACADEMY, "phase": "primary"}
    response = client.post(reverse("schools_setting:add"), data)
    assert response.status_code == 200
    assert "6 or 7 digits" in response.content.decode()

    response = client.post(reverse("schools_setting:add"), {**data, "urn": "912345"})
    assert response.status_code == 302
    assert Setting.objects.get(urn="912345").name == "Hollowmere Primary"


# Questionnaires: the lock -------------------------------------------------------------------


def test_questionnaire_listings_load_with_filters_and_export(client, qa_manager, questionnaire):
    client.force_login(qa_manager)
    response = client.get(QUESTIONNAIRES_URL, {"status": "published"})
    assert response.status_code == 200
    assert questionnaire.title in response.content.decode()

    first_section = questionnaire.sections.first()
    response = client.get(QUESTIONS_URL, {"questionnaire": questionnaire.pk, "section": first_section.pk})
    assert response.status_code == 200
    assert "Question 1.1?" in response.content.decode()
    assert "Question 2.1?" not in response.content.decode()

    response = client.get(QUESTIONS_URL, {"answer_type": "number", "export": "csv"})
    rows = b"".join(response.streaming_content).decode().strip().splitlines()
    assert rows[0].startswith("Questionnaire,Academic year,Section,Code,Text,Answer type")
    assert len(rows) == 3  # one number question in each section


def test_a_published_questionnaire_cannot_be_edited(client, qa_manager, questionnaire):
    client.force_login(qa_manager)
    edit_url = questionnaire_url("edit", questionnaire)

    response = client.get(edit_url)
    assert response.status_code == 302
    assert response.url == questionnaire_url("inspect", questionnaire)
    assert PUBLISHED_IS_FROZEN in messages_of(response)

    response = client.post(edit_url, {"title": "Changed", "kind": questionnaire.kind, "academic_year": "2022/23"})
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.title == "Safeguarding audit 2022/23"


def test_a_published_questionnaire_cannot_be_deleted(client, qa_manager, questionnaire):
    client.force_login(qa_manager)
    delete_url = questionnaire_url("delete", questionnaire)
    assert client.get(delete_url).status_code == 302
    response = client.post(delete_url)
    assert response.status_code == 302
    assert PUBLISHED_IS_FROZEN in messages_of(response)
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()


def test_questions_of_a_published_questionnaire_cannot_be_edited_or_deleted(client, qa_manager, questionnaire):
    client.force_login(qa_manager)
    question = Question.objects.filter(section__questionnaire=questionnaire).first()

    response = client.post(question_url("edit", question), {"code": "9.9", "text": "Changed?"})
    assert response.status_code == 302
    assert response.url == questionnaire_url("inspect", questionnaire)
    assert client.post(question_url("delete", question)).status_code == 302
    question.refresh_from_db()
    assert question.text == "Question 1.1?"


def test_retired_questionnaires_are_frozen_too(client, qa_manager):
    retired = build_questionnaire(publish=False)
    Questionnaire.objects.filter(pk=retired.pk).update(status=Questionnaire.Status.RETIRED)
    client.force_login(qa_manager)
    assert client.get(questionnaire_url("edit", retired)).status_code == 302


def test_the_policy_refuses_frozen_instances_so_bulk_delete_skips_them(qa_manager, questionnaire):
    draft = build_questionnaire(year="2023/24", publish=False)
    policy = policy_registry.get_by_type(Questionnaire)
    assert not policy.user_has_permission_for_instance(qa_manager, "delete", questionnaire)
    assert not policy.user_has_permission_for_instance(qa_manager, "change", questionnaire)
    assert policy.user_has_permission_for_instance(qa_manager, "view", questionnaire)
    assert policy.user_has_permission_for_instance(qa_manager, "change", draft)
    question_policy = policy_registry.get_by_type(Question)
    frozen_question = Question.objects.filter(section__questionnaire=questionnaire).first()
    assert not question_policy.user_has_permission_for_instance(qa_manager, "delete", frozen_question)


def test_listing_offers_edit_for_drafts_only(client, qa_manager, questionnaire):
    draft = build_questionnaire(year="2023/24", publish=False)
    client.force_login(qa_manager)
    html = client.get(QUESTIONNAIRES_URL).content.decode()
    assert questionnaire_url("edit", draft) in html
    assert questionnaire_url("edit", questionnaire) not in html
    assert questionnaire_url("inspect", questionnaire) in html


def test_a_draft_questionnaire_can_be_edited(client, qa_manager):
    draft = build_questionnaire(year="2023/24", publish=False)
    client.force_login(qa_manager)
    assert client.get(questionnaire_url("edit", draft)).status_code == 200


def test_the_academic_year_must_read_like_2025_26(client, qa_manager):
    client.force_login(qa_manager)
    data = {
        "title": "New audit",
        "kind": "schools_175_157",
        "academic_year": "2025-26",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("wagtailsnippets_schools_questionnaire:add"), data)
    assert response.status_code == 200
    assert "Enter an academic year like 2025/26." in response.content.decode()

    response = client.post(reverse("wagtailsnippets_schools_questionnaire:add"), {**data, "academic_year": "2025/26"})
    assert response.status_code == 302
    assert Questionnaire.objects.get(academic_year="2025/26").status == Questionnaire.Status.DRAFT


def test_questions_are_added_to_draft_sections_only_and_go_last(client, qa_manager, questionnaire):
    draft = build_questionnaire(year="2023/24", publish=False)
    draft_section = draft.sections.first()
    frozen_section = questionnaire.sections.first()
    client.force_login(qa_manager)
    data = {"code": "1.9", "text": "Is there a lead for online safety?", "answer_type": "compliance", "required": "on"}

    response = client.post(reverse("wagtailsnippets_schools_question:add"), {**data, "section": frozen_section.pk})
    assert response.status_code == 200
    assert not Question.objects.filter(code="1.9").exists()

    response = client.post(
        reverse("wagtailsnippets_schools_question:add"),
        {**data, "section": draft_section.pk, "setting_kinds": [SettingKind.ACADEMY]},
    )
    assert response.status_code == 302
    question = Question.objects.get(code="1.9")
    assert question.section == draft_section
    assert question.sort_order == 5  # after the five already there
    assert question.setting_kinds == [SettingKind.ACADEMY]


# Publish and copy to next year -----------------------------------------------------------------


def test_academic_year_advances_by_one():
    assert academic_year_next("2022/23") == "2023/24"
    assert academic_year_next("2099/00") == "2100/01"
    with pytest.raises(ValidationError):
        academic_year_next("2022")


def test_qa_manager_copies_a_questionnaire_to_next_year(client, qa_manager, questionnaire):
    client.force_login(qa_manager)
    response = client.post(questionnaire_url("copy_to_next_year", questionnaire))

    copy = Questionnaire.objects.get(copied_from=questionnaire)
    assert response.status_code == 302
    assert response.url == questionnaire_url("edit", copy)
    assert copy.academic_year == "2023/24"
    assert copy.title == "Safeguarding audit 2023/24"
    assert copy.status == Questionnaire.Status.DRAFT
    assert copy.kind == questionnaire.kind
    # Ordered: PostgreSQL returns unordered rows in whatever order it likes.
    order = ("section__sort_order", "sort_order", "code")
    old = list(
        Question.objects.filter(section__questionnaire=questionnaire)
        .order_by(*order)
        .values_list("section__title", "code", "text")
    )
    new = list(
        Question.objects.filter(section__questionnaire=copy)
        .order_by(*order)
        .values_list("section__title", "code", "text")
    )
    assert new == old and len(new) == 10
    assert list(copy.sections.values_list("title", "sort_order")) == list(
        questionnaire.sections.values_list("title", "sort_order")
    )
    # The source is untouched and still published.
    questionnaire.refresh_from_db()
    assert questionnaire.status == Questionnaire.Status.PUBLISHED
    # Next year's draft can be edited.
    assert client.get(questionnaire_url("edit", copy)).status_code == 200


def test_copy_is_post_only(client, qa_manager, questionnaire):
    client.force_login(qa_manager)
    assert client.get(questionnaire_url("copy_to_next_year", questionnaire)).status_code == 405
    assert not Questionnaire.objects.filter(copied_from=questionnaire).exists()


@pytest.mark.parametrize("role", [Role.ADVISER, Role.SENIOR_MANAGER])
def test_other_staff_cannot_copy_or_publish(client, user_for_role, questionnaire, role):
    draft = build_questionnaire(year="2023/24", publish=False)
    client.force_login(user_for_role(role))
    assert client.post(questionnaire_url("copy_to_next_year", questionnaire)).status_code == 403
    assert client.post(questionnaire_url("publish", draft)).status_code == 403
    assert not Questionnaire.objects.filter(copied_from=questionnaire).exists()
    draft.refresh_from_db()
    assert draft.status == Questionnaire.Status.DRAFT


def test_copying_twice_is_refused_with_a_message(client, qa_manager, questionnaire):
    client.force_login(qa_manager)
    client.post(questionnaire_url("copy_to_next_year", questionnaire))
    response = client.post(questionnaire_url("copy_to_next_year", questionnaire))
    assert response.status_code == 302
    assert response.url == questionnaire_url("inspect", questionnaire)
    assert any("already" in m for m in messages_of(response))
    assert Questionnaire.objects.filter(academic_year="2023/24").count() == 1


def test_copy_service_refuses_advisers(adviser, questionnaire):
    with pytest.raises(PermissionDenied):
        questionnaire_copy_to_next_year(questionnaire=questionnaire, user=adviser)


def test_inspect_page_offers_publish_and_copy_to_qa_managers(client, qa_manager, adviser):
    draft = build_questionnaire(year="2023/24", publish=False)
    client.force_login(qa_manager)
    html = client.get(questionnaire_url("inspect", draft)).content.decode()
    assert questionnaire_url("publish", draft) in html
    assert questionnaire_url("copy_to_next_year", draft) in html
    assert "Question 2.5?" in html

    client.force_login(adviser)
    html = client.get(questionnaire_url("inspect", draft)).content.decode()
    assert questionnaire_url("publish", draft) not in html


def test_publish_service_publishes_a_draft_with_questions(qa_manager):
    draft = build_questionnaire(year="2023/24", publish=False)
    published = questionnaire_publish(questionnaire=draft, user=qa_manager)
    assert published.status == Questionnaire.Status.PUBLISHED
    assert published.published_at is not None
    draft.refresh_from_db()
    assert draft.status == Questionnaire.Status.PUBLISHED


def test_publish_service_refuses_what_is_not_a_draft(qa_manager, questionnaire):
    with pytest.raises(ValidationError, match="Only a draft"):
        questionnaire_publish(questionnaire=questionnaire, user=qa_manager)


def test_publish_service_refuses_a_questionnaire_without_questions(qa_manager):
    empty = Questionnaire.objects.create(kind="schools_175_157", academic_year="2024/25", title="Empty")
    Section.objects.create(questionnaire=empty, title="No questions yet")
    with pytest.raises(ValidationError, match="no questions"):
        questionnaire_publish(questionnaire=empty, user=qa_manager)
    empty.refresh_from_db()
    assert empty.status == Questionnaire.Status.DRAFT


def test_publish_service_refuses_a_second_published_version_of_the_year(qa_manager, questionnaire):
    second = build_questionnaire(year=questionnaire.academic_year, publish=False)
    with pytest.raises(ValidationError, match="already the published"):
        questionnaire_publish(questionnaire=second, user=qa_manager)


def test_publish_service_refuses_advisers(adviser):
    draft = build_questionnaire(year="2023/24", publish=False)
    with pytest.raises(PermissionDenied):
        questionnaire_publish(questionnaire=draft, user=adviser)


def test_publish_button_publishes_and_refusals_come_back_as_messages(client, qa_manager):
    draft = build_questionnaire(year="2023/24", publish=False)
    client.force_login(qa_manager)

    response = client.post(questionnaire_url("publish", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Questionnaire.Status.PUBLISHED

    response = client.post(questionnaire_url("publish", draft))
    assert response.status_code == 302
    assert any("Only a draft" in m for m in messages_of(response))


def test_every_add_and_edit_form_renders_for_a_qa_manager(client, qa_manager, register):
    draft = build_questionnaire(year="2023/24", publish=False)
    inspection = register["concern"].inspections.first()
    client.force_login(qa_manager)
    urls = [
        reverse("schools_setting:add"),
        reverse("schools_setting:edit", args=[register["concern"].pk]),
        reverse("schools_ofstedinspection:add"),
        reverse("schools_ofstedinspection:edit", args=[inspection.pk]),
        reverse("schools_membership:add"),
        reverse("schools_membership:edit", args=[Membership.objects.first().pk]),
        reverse("schools_trustmembership:add"),
        reverse("schools_trustmembership:edit", args=[TrustMembership.objects.first().pk]),
        reverse("wagtailsnippets_schools_questionnaire:add"),
        questionnaire_url("edit", draft),
        reverse("wagtailsnippets_schools_question:add"),
        question_url("edit", Question.objects.filter(section__questionnaire=draft).first()),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_setting_with_audit_returns_is_not_deleted_and_the_reason_is_given(client, qa_manager, open_cycle, setting):
    client.force_login(qa_manager)
    response = client.post(reverse("schools_setting:delete", args=[setting.pk]))
    assert response.status_code == 302
    assert any("cannot be deleted" in m for m in messages_of(response))
    assert Setting.objects.filter(pk=setting.pk).exists()


def test_a_draft_questionnaire_is_saved_through_the_admin(client, qa_manager):
    draft = build_questionnaire(year="2023/24", publish=False)
    sections = list(draft.sections.order_by("sort_order"))
    data = {
        "title": "Safeguarding audit 2023/24 (revised)",
        "kind": draft.kind,
        "academic_year": "2023/24",
        "introduction": "Please answer every question.",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for i, section in enumerate(sections):
        data |= {
            f"sections-{i}-id": str(section.pk),
            f"sections-{i}-title": section.title,
            f"sections-{i}-intro": "",
            f"sections-{i}-ORDER": str(i + 1),
            f"sections-{i}-DELETE": "",
        }
    client.force_login(qa_manager)

    response = client.post(questionnaire_url("edit", draft), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.title == "Safeguarding audit 2023/24 (revised)"
    assert draft.sections.count() == 2
    assert Question.objects.filter(section__questionnaire=draft).count() == 10
