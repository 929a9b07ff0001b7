"""Load a questionnaire shipped as data (schools/data/questionnaires/*.json)."""

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from portal.models import Theme
from schools.models import Question, Questionnaire, Section

DATA_DIR = Path(__file__).resolve().parent / "data" / "questionnaires"


def questionnaire_load(*, path: Path, publish: bool = True) -> tuple[Questionnaire, bool]:
    """Create the questionnaire in `path` unless one of the same kind and year exists.
    Returns it and whether it was created, so loading twice changes nothing."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    existing = Questionnaire.objects.filter(kind=data["kind"], academic_year=data["academic_year"]).first()
    if existing is not None:
        return existing, False
    themes = {t.slug: t for t in Theme.objects.all()}
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            kind=data["kind"],
            academic_year=data["academic_year"],
            title=data["title"],
            introduction=data.get("introduction", ""),
            status=Questionnaire.Status.PUBLISHED if publish else Questionnaire.Status.DRAFT,
            published_at=timezone.now() if publish else None,
        )
        questions = []
        for order, section_data in enumerate(data["sections"]):
            section = Section.objects.create(
                questionnaire=questionnaire,
                sort_order=order,
                title=section_data["title"],
                theme=themes.get(section_data.get("theme", "")),
                intro=section_data.get("intro", ""),
            )
            for q_order, q in enumerate(section_data["questions"]):
                questions.append(
                    Question(
                        section=section,
                        sort_order=q_order,
                        code=q["code"],
                        text=q["text"],
                        why_we_ask=q.get("why_we_ask", ""),
                        kcsie_reference=q.get("kcsie_reference", ""),
                        answer_type=q["answer_type"],
                        required=q.get("required", True),
                        evidence_expected=q.get("evidence_expected", False),
                        red_descriptor=q.get("red", ""),
                        amber_descriptor=q.get("amber", ""),
                        green_descriptor=q.get("green", ""),
                        follow_up_prompt=q.get("follow_up", ""),
                        setting_kinds=q.get("setting_kinds", []),
                    )
                )
        Question.objects.bulk_create(questions)
    return questionnaire, True


def questionnaires_load_shipped() -> list[tuple[Questionnaire, bool]]:
    return [questionnaire_load(path=path) for path in sorted(DATA_DIR.glob("*.json"))]
