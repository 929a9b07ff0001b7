from django import template
from django.utils.html import format_html

from schools.models.questionnaires import AnswerType, Compliance

register = template.Library()

_RAG_CLASS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


@register.simple_tag
def rag_tag(rag: str | None):
    """A RAG rating in words as well as colour, so it never relies on colour alone."""
    if not rag:
        return ""
    return format_html('<strong class="govuk-tag {}">{}</strong>', _RAG_CLASS[rag], rag.capitalize())


@register.filter
def answer_display(answer, question) -> str:
    if answer is None:
        return ""
    match question.answer_type:
        case AnswerType.COMPLIANCE:
            return Compliance(answer.compliance).label if answer.compliance else ""
        case AnswerType.SHORT_TEXT | AnswerType.LONG_TEXT:
            return answer.text
        case AnswerType.NUMBER:
            return "" if answer.number is None else f"{answer.number.normalize():f}"
        case AnswerType.DATE:
            return answer.date.strftime("%-d %B %Y") if answer.date else ""
    return ""


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
