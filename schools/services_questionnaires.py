"""Writes for questionnaires: publishing a draft and copying one forward a year.

A published questionnaire is frozen (see `schools.models.questionnaires`): the admin
refuses to edit it, and next year's version starts as a copy that stays a draft until
the QA manager publishes it here.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from portal.permissions import user_has_role
from portal.roles import Role
from schools.models import Question, Questionnaire, Section

PUBLISH_LOG_ACTION = "schools.questionnaire.publish"
COPY_LOG_ACTION = "schools.questionnaire.copy_to_next_year"

ACADEMIC_YEAR_PATTERN = re.compile(r"(?P<start>\d{4})/(?P<end>\d{2})")


def can_manage_questionnaires(user) -> bool:
    """QA managers edit questionnaires (DESIGN.md, "Who uses it")."""
    return bool(user is not None and user.is_authenticated and user.is_active) and (
        user.is_superuser or user_has_role(user, Role.QA_MANAGER)
    )


def academic_year_validate(value: str) -> None:
    """'2022/23': four digits, a slash, and the next year's last two digits."""
    match = ACADEMIC_YEAR_PATTERN.fullmatch(value or "")
    if not match or (int(match["start"]) + 1) % 100 != int(match["end"]):
        raise ValidationError("Enter an academic year like 2025/26.")


def academic_year_next(value: str) -> str:
    """'2022/23' -> '2023/24'."""
    academic_year_validate(value)
    start = int(value[:4]) + 1
    return f"{start}/{(start + 1) % 100:02d}"


def _require_manager(user) -> None:
    if not can_manage_questionnaires(user):
        raise PermissionDenied("Only a QA manager can change questionnaires.")


def questionnaire_publish(*, questionnaire: Questionnaire, user) -> Questionnaire:
    """Publish a draft so a cycle can run it. Refuses anything but a draft with questions, and
    a second published questionnaire of the same kind and year; it retires nothing by itself."""
    _require_manager(user)
    with transaction.atomic():
        # Lock the row so two clicks cannot both publish.
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if locked.status != Questionnaire.Status.DRAFT:
            raise ValidationError(
                f"Only a draft can be published; this questionnaire is {locked.get_status_display().lower()}."
            )
        if not Question.objects.filter(section__questionnaire=locked).exists():
            raise ValidationError("This questionnaire has no questions yet. Add questions before publishing it.")
        clash = Questionnaire.objects.filter(
            kind=locked.kind, academic_year=locked.academic_year, status=Questionnaire.Status.PUBLISHED
        ).first()
        if clash is not None:
            raise ValidationError(
                f"“{clash.title}” is already the published {locked.get_kind_display()} for {locked.academic_year}. "
                "Retire it before publishing another."
            )
        locked.status = Questionnaire.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        log(locked, PUBLISH_LOG_ACTION, user=user)
    questionnaire.status, questionnaire.published_at = locked.status, locked.published_at
    return locked


def questionnaire_copy_to_next_year(*, questionnaire: Questionnaire, user) -> Questionnaire:
    """Start next year's version as a draft copy of this one, sections and questions included.

    Refuses when the kind already has a questionnaire for next year, so a double click or a
    second copy does not leave two competing drafts."""
    _require_manager(user)
    try:
        next_year = academic_year_next(questionnaire.academic_year)
    except ValidationError as error:
        raise ValidationError(
            f"The academic year “{questionnaire.academic_year}” is not like 2025/26, so the next one is unknown."
        ) from error

    with transaction.atomic():
        # Lock the source so concurrent copies queue up and the second sees the first's draft.
        source = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        existing = Questionnaire.objects.filter(kind=source.kind, academic_year=next_year).first()
        if existing is not None:
            raise ValidationError(
                f"There is already a {source.get_kind_display()} for {next_year}: “{existing.title}”. Edit that one."
            )
        title = source.title.replace(source.academic_year, next_year)
        copy = Questionnaire.objects.create(
            kind=source.kind,
            academic_year=next_year,
            title=title,
            introduction=source.introduction,
            status=Questionnaire.Status.DRAFT,
            copied_from=source,
        )
        questions: list[Question] = []
        for section in source.sections.order_by("sort_order", "pk").prefetch_related("questions"):
            new_section = Section.objects.create(
                questionnaire=copy,
                sort_order=section.sort_order,
                title=section.title,
                theme_id=section.theme_id,
                intro=section.intro,
            )
            for question in section.questions.all():
                values = {
                    f.attname: getattr(question, f.attname)
                    for f in Question._meta.concrete_fields
                    if f.attname not in {"id", "section_id"}
                }
                # A fresh list, so editing next year's kinds cannot touch this year's.
                values["setting_kinds"] = list(question.setting_kinds or [])
                questions.append(Question(section=new_section, **values))
        Question.objects.bulk_create(questions)
        log(copy, COPY_LOG_ACTION, user=user, data={"copied_from": source.pk, "academic_year": source.academic_year})
    return copy
