"""Compliance scoring of a return: one place that turns answers into RAG ratings."""

from collections.abc import Iterable
from dataclasses import dataclass

from schools.models.questionnaires import COMPLIANCE_RAG, AnswerType, Compliance

RAG_ORDER = ("red", "amber", "green")


def answer_rag(answer) -> str | None:
    """Green, amber or red for a compliance answer; None where it does not score."""
    if answer is None or answer.question.answer_type != AnswerType.COMPLIANCE or not answer.compliance:
        return None
    return COMPLIANCE_RAG[Compliance(answer.compliance)]


@dataclass(frozen=True)
class Score:
    green: int = 0
    amber: int = 0
    red: int = 0

    @property
    def scored(self) -> int:
        return self.green + self.amber + self.red

    @property
    def percent(self) -> int | None:
        """Fully compliant answers as a share of scored answers (partly counts half)."""
        if not self.scored:
            return None
        return round(100 * (self.green + 0.5 * self.amber) / self.scored)

    @property
    def rag(self) -> str | None:
        """Red if anything is red; amber if anything is amber; otherwise green."""
        if not self.scored:
            return None
        if self.red:
            return "red"
        if self.amber:
            return "amber"
        return "green"


def score(answers: Iterable) -> Score:
    counts = {"green": 0, "amber": 0, "red": 0}
    for answer in answers:
        rag = answer_rag(answer)
        if rag:
            counts[rag] += 1
    return Score(**counts)
