"""Schema checks for the questionnaire data files in schools/data/questionnaires.

These tests read JSON only: no database and no Django models are needed.
"""

import json
import pathlib
import re

import pytest

DATA_DIR = pathlib.Path(__file__).resolve().parents[2] / "schools" / "data" / "questionnaires"
SCHOOLS_FILE = DATA_DIR / "schools_175_157_2022_23.json"
AP_FILE = DATA_DIR / "ap_provider_2022_23.json"

THEMES = {
    "leadership-and-governance",
    "dsl-role",
    "safer-recruitment",
    "training",
    "managing-allegations",
    "online-safety",
    "child-on-child-abuse",
    "children-missing-education",
    "looked-after-children",
    "curriculum-and-rshe",
    "early-help",
    "records",
    "site-security",
    "alternative-provision",
}
SETTING_KINDS = {
    "maintained_school",
    "academy",
    "free_school",
    "special_school",
    "pupil_referral_unit",
    "independent_school",
    "fe_college",
    "ap_provider",
}
ANSWER_TYPES = {"compliance", "short_text", "long_text", "number", "date", "evidence"}
RAG_KEYS = ("red", "amber", "green")
# The model's CharField limits (schools.models.questionnaires): longer values would not load.
MAX_LENGTHS = {"code": 10, "kcsie_reference": 120, "follow_up": 250}
TITLE_MAX_LENGTH = 200

TOP_LEVEL_KEYS = {"kind", "academic_year", "title", "introduction", "sections"}
SECTION_KEYS = {"title", "theme", "intro", "questions"}
QUESTION_KEYS = {
    "code",
    "text",
    "why_we_ask",
    "kcsie_reference",
    "answer_type",
    "required",
    "evidence_expected",
    "red",
    "amber",
    "green",
    "follow_up",
    "setting_kinds",
}
TEXT_KEYS = ("text", "why_we_ask", "kcsie_reference")

# kind -> (file, (min questions, max questions), (min sections, max sections))
FILES = {
    "schools_175_157": (SCHOOLS_FILE, (90, 120), (12, 16)),
    "ap_provider": (AP_FILE, (35, 50), (6, 9)),
}


def load(kind: str) -> dict:
    path = FILES[kind][0]
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def questions(data: dict) -> list[dict]:
    return [q for section in data["sections"] for q in section["questions"]]


def is_blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


@pytest.fixture(params=sorted(FILES), ids=sorted(FILES))
def kind(request) -> str:
    return request.param


@pytest.fixture
def data(kind: str) -> dict:
    return load(kind)


def test_top_level_keys(kind, data):
    assert set(data) == TOP_LEVEL_KEYS
    assert data["kind"] == kind
    assert data["academic_year"] == "2022/23"
    assert not is_blank(data["title"])
    assert not is_blank(data["introduction"])
    assert isinstance(data["sections"], list)


def test_section_shape_and_themes(data):
    for section in data["sections"]:
        assert set(section) == SECTION_KEYS, section.get("title")
        assert not is_blank(section["title"])
        assert not is_blank(section["intro"]), section["title"]
        assert section["theme"] in THEMES, section["theme"]
        assert section["questions"], f"section {section['title']!r} has no questions"


def test_counts(kind, data):
    _, (min_q, max_q), (min_s, max_s) = FILES[kind]
    assert min_s <= len(data["sections"]) <= max_s
    assert min_q <= len(questions(data)) <= max_q


def test_question_shape(data):
    for q in questions(data):
        assert set(q) == QUESTION_KEYS, q.get("code")
        for key in TEXT_KEYS:
            assert not is_blank(q[key]), f"{q['code']}: {key} is empty"
        assert q["answer_type"] in ANSWER_TYPES, q["code"]
        assert isinstance(q["required"], bool), q["code"]
        assert isinstance(q["evidence_expected"], bool), q["code"]
        assert isinstance(q["setting_kinds"], list), q["code"]


def test_values_fit_model_field_lengths(data):
    assert len(data["title"]) <= TITLE_MAX_LENGTH
    for section in data["sections"]:
        assert len(section["title"]) <= TITLE_MAX_LENGTH, section["title"]
    for q in questions(data):
        for key, limit in MAX_LENGTHS.items():
            assert len(q[key]) <= limit, f"{q['code']}: {key} is longer than {limit} characters"


def test_codes_unique_and_numbered_by_position(data):
    codes = [q["code"] for q in questions(data)]
    assert len(codes) == len(set(codes)), "duplicate question codes"
    for s_no, section in enumerate(data["sections"], start=1):
        for q_no, q in enumerate(section["questions"], start=1):
            assert re.fullmatch(r"\d+\.\d+", q["code"]), q["code"]
            assert q["code"] == f"{s_no}.{q_no}"


def test_compliance_questions_have_rag_descriptors(data):
    for q in questions(data):
        if q["answer_type"] == "compliance":
            for key in RAG_KEYS:
                assert not is_blank(q[key]), f"{q['code']}: {key} descriptor is empty"


def test_required_compliance_questions_have_follow_up(data):
    for q in questions(data):
        if q["answer_type"] == "compliance" and q["required"]:
            assert not is_blank(q["follow_up"]), q["code"]


def test_other_answer_types_leave_rag_and_follow_up_empty(data):
    for q in questions(data):
        if q["answer_type"] != "compliance":
            for key in (*RAG_KEYS, "follow_up"):
                assert q[key] == "", f"{q['code']}: {key} should be empty for {q['answer_type']}"


def test_evidence_questions_expect_evidence(data):
    for q in questions(data):
        if q["answer_type"] == "evidence":
            assert q["evidence_expected"] is True, q["code"]


def test_setting_kinds_valid(kind, data):
    for q in questions(data):
        kinds = q["setting_kinds"]
        assert set(kinds) <= SETTING_KINDS, q["code"]
        assert len(kinds) == len(set(kinds)), f"{q['code']}: duplicate setting kinds"
        if kind == "schools_175_157":
            assert "ap_provider" not in kinds, q["code"]


def test_answer_type_mix(data):
    used = {q["answer_type"] for q in questions(data)}
    assert "compliance" in used
    assert used - {"compliance"}, "expected some non-compliance questions"
    compliance = sum(q["answer_type"] == "compliance" for q in questions(data))
    assert compliance > len(questions(data)) / 2, "most questions should be compliance questions"
