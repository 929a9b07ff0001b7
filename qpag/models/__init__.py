"""QPAG models, one module per concept (see STYLE.md)."""

from .casefile import CaseFileAudit, CaseFileAuditAction, PracticeAreaGrade, TripleLockReview
from .packs import QpagPack
from .people import Auditor
from .sampling import CaseExtract, ExtractCase, SampleDraw

__all__ = [
    "Auditor",
    "CaseExtract",
    "CaseFileAudit",
    "CaseFileAuditAction",
    "ExtractCase",
    "PracticeAreaGrade",
    "QpagPack",
    "SampleDraw",
    "TripleLockReview",
]
