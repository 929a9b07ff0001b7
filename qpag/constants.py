"""The framework's vocabulary for internal case-file audits, in one place: the services
audited, the Ofsted grading scale, the practice areas each service is graded on, and ChAD's
weekly sample. Sections 7-10 of the QA framework (shared/reference) are the source."""

from django.db import models


class Service(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early Help"
    SEND = "send", "SEND (EHCP audits)"
    CHAD = "chad", "Front door (ChAD)"


class Grade(models.TextChoices):
    """The Ofsted scale, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


GOOD_OR_BETTER = frozenset({Grade.OUTSTANDING, Grade.GOOD})
# Lower is better; used to say whether moderation raised or lowered a grade.
GRADE_RANK = {Grade.OUTSTANDING: 1, Grade.GOOD: 2, Grade.REQUIRES_IMPROVEMENT: 3, Grade.INADEQUATE: 4}


class PracticeArea(models.TextChoices):
    SAFETY_AND_RISK = "safety_and_risk", "Children are safe and risk is managed"
    LIVED_EXPERIENCE = "lived_experience", "The child's lived experience and voice"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
    ASSESSMENT = "assessment", "Timely, analytical assessments"
    MULTI_AGENCY = "multi_agency", "Multi-agency co-ordination"
    PLANNING = "planning", "Plans and planning"
    PERMANENCE = "permanence", "Permanence"
    PLACEMENTS = "placements", "Quality of placements"
    # SEND audits use the five EHCP quality standards (framework 8.2) instead.
    SEND_QS1 = "send_qs1", "EHCP standard 1: views, interests and aspirations"
    SEND_QS2 = "send_qs2", "EHCP standard 2: clear plans with SMART outcomes"
    SEND_QS3 = "send_qs3", "EHCP standard 3: holistic, multi-agency plans"
    SEND_QS4 = "send_qs4", "EHCP standard 4: needs, strengths and capabilities"
    SEND_QS5 = "send_qs5", "EHCP standard 5: provision and transition"


SERVICE_PRACTICE_AREAS: dict[str, tuple[str, ...]] = {
    Service.SOCIAL_CARE: (
        PracticeArea.SAFETY_AND_RISK,
        PracticeArea.LIVED_EXPERIENCE,
        PracticeArea.MANAGEMENT_OVERSIGHT,
        PracticeArea.ASSESSMENT,
        PracticeArea.MULTI_AGENCY,
        PracticeArea.PLANNING,
        PracticeArea.PERMANENCE,
        PracticeArea.PLACEMENTS,
    ),
    # Early Help follows the social work format (framework 9.2) without permanence or placements.
    Service.EARLY_HELP: (
        PracticeArea.SAFETY_AND_RISK,
        PracticeArea.LIVED_EXPERIENCE,
        PracticeArea.MANAGEMENT_OVERSIGHT,
        PracticeArea.ASSESSMENT,
        PracticeArea.MULTI_AGENCY,
        PracticeArea.PLANNING,
    ),
    # The front door audits decision making and the quality of intervention (framework 10).
    Service.CHAD: (
        PracticeArea.SAFETY_AND_RISK,
        PracticeArea.LIVED_EXPERIENCE,
        PracticeArea.MANAGEMENT_OVERSIGHT,
        PracticeArea.ASSESSMENT,
        PracticeArea.MULTI_AGENCY,
    ),
    Service.SEND: (
        PracticeArea.SEND_QS1,
        PracticeArea.SEND_QS2,
        PracticeArea.SEND_QS3,
        PracticeArea.SEND_QS4,
        PracticeArea.SEND_QS5,
    ),
}


class ChadCategory(models.TextChoices):
    """The four kinds of front-door contact in ChAD's weekly multi-agency sample."""

    CONSULTATION = "consultation", "Consultation"
    EARLY_HELP = "early_help", "Contact passed to Early Help"
    SECTION_17 = "section_17", "Contact leading to a section 17 assessment"
    SECTION_47 = "section_47", "Contact leading to a section 47 assessment"


CHAD_WEEKLY_SAMPLE = {
    ChadCategory.CONSULTATION: 2,
    ChadCategory.EARLY_HELP: 2,
    ChadCategory.SECTION_17: 2,
    ChadCategory.SECTION_47: 2,
}

# Eligibility (framework 7.1, 9.2, 8.5): how long a case must have been open on the day of the draw.
MIN_MONTHS_OPEN = {Service.SOCIAL_CARE: 6, Service.EARLY_HELP: 2}

AUDIT_DUE_DAYS = 14  # "completed within 2 weeks of initial notification" (framework 7.3)
TRIPLE_LOCK_MONTHS = 1  # "QA will review all inadequate audits within a month of the grading" (7.6)

# A case number is the only case identifier stored: letters, digits and hyphens, never a name.
CASE_NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9\-/]{2,19}$"


# The monthly pack follows the QPAG agenda (framework 12.2). Keys are stable: narrative is stored by key.
PACK_SECTIONS: tuple[tuple[str, str], ...] = (
    ("performance", "Performance by exception"),
    ("social_work", "Children's social work highlight report"),
    ("early_help", "Early Help highlight report"),
    ("chad", "Front door (ChAD) highlight report"),
    ("send", "SEND highlight report"),
    ("schools", "Schools safeguarding highlight report"),
    ("complaints", "Compliments and complaints"),
    ("reflective", "Audits for reflective discussion"),
    ("learning", "Themes for learning"),
    ("actions", "Action plan update and measures of impact"),
    ("feedback", "Family and children's feedback"),
    ("ppp_partnership", "Items for the Practice, Policy and Procedures group and the partnership"),
)
