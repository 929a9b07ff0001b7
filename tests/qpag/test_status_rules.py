"""The dashboard's status rules at every boundary (qpag.status_rules)."""

import pytest

from qpag.status_rules import LABELS, RULES, TAG_CLASSES, Status, status_for


@pytest.mark.parametrize(
    ("latest", "previous", "expected"),
    [
        # Strong: 80% or more, whatever happened before.
        (80, None, Status.STRONG),
        (80.0, 95, Status.STRONG),
        (100, 100, Status.STRONG),
        (79.9, None, Status.STABLE),
        (79.9, 79.9, Status.STABLE),
        # Improving: up 10 points or more.
        (70, 60, Status.IMPROVING),
        (69.9, 60, Status.STABLE),
        (50, 40, Status.IMPROVING),  # improving is decided before weak
        (49.9, 40, Status.NEEDS_STRENGTHENING),
        # Weak: below 60%.
        (60, None, Status.STABLE),
        (60, 60, Status.STABLE),
        (59.9, None, Status.NEEDS_STRENGTHENING),
        (59.9, 59.9, Status.NEEDS_STRENGTHENING),
        # Falling: down 10 points or more.
        (65, 75, Status.NEEDS_STRENGTHENING),
        (65.1, 75, Status.STABLE),
        (70, 79.9, Status.STABLE),
        # No previous period: only the level decides.
        (70, None, Status.STABLE),
        # No data in the latest period.
        (None, None, Status.NO_DATA),
        (None, 90, Status.NO_DATA),
        (0, None, Status.NEEDS_STRENGTHENING),
    ],
)
def test_status_for(latest, previous, expected):
    assert status_for(latest, previous) == expected


def test_every_status_has_a_rule_a_label_and_a_tag():
    statuses = [rule.status for rule in RULES]
    assert statuses == [
        Status.STRONG,
        Status.IMPROVING,
        Status.NEEDS_STRENGTHENING,
        Status.STABLE,
        Status.NO_DATA,
    ]
    for status in statuses:
        assert LABELS[status]
        assert TAG_CLASSES[status].startswith("govuk-tag--")


def test_rules_state_the_thresholds_in_words():
    text = " ".join(rule.text for rule in RULES)
    assert "80%" in text
    assert "10 percentage points" in text
    assert "below 60%" in text
