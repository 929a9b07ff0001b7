"""The risk list ranks settings by a transparent score and shows each part."""

import datetime

from django.urls import reverse
from django.utils import timezone

from portal.roles import Role
from schools.models import OfstedInspection
from schools.risk import WEIGHTS, risk_list

TODAY = timezone.localdate()


def test_parts_add_up_and_rank(reviewed_return, other_setting, setting):
    OfstedInspection.objects.create(
        setting=other_setting, inspected_on=TODAY - datetime.timedelta(days=30), overall_effectiveness="inadequate"
    )
    rows = {row.setting: row for row in risk_list(today=TODAY)}
    assert dict(rows[other_setting].parts) == {"Ofsted safeguarding concern": WEIGHTS["ofsted"]}
    labels = [label for label, _ in rows[setting].parts]
    assert any(label.startswith("Latest audit red") for label in labels)  # reviewed_return has a "no"
    assert rows[setting].score == sum(points for _, points in rows[setting].parts)
    ranked = risk_list(today=TODAY)
    assert [(-r.score, r.setting.name) for r in ranked] == sorted((-r.score, r.setting.name) for r in ranked)
    # An overdue return adds its part.
    later = risk_list(today=reviewed_return.cycle.due_on + datetime.timedelta(days=1))
    other_row = next(r for r in later if r.setting == other_setting)
    assert ("Audit return overdue", WEIGHTS["missing_return"]) in other_row.parts


def test_risk_page_for_staff_only(client, reviewed_return, adviser, dsl, user_for_role, django_assert_max_num_queries):
    client.force_login(adviser)
    client.get(reverse("schools:risk_list"))
    with django_assert_max_num_queries(16):  # 15 + the complaints risk part
        html = client.get(reverse("schools:risk_list")).content.decode()
    assert "How the score is worked out" in html and reviewed_return.setting.name in html
    client.force_login(dsl)
    assert client.get(reverse("schools:risk_list")).status_code == 403
    client.force_login(user_for_role(Role.COMMISSIONING_OFFICER))
    assert client.get(reverse("schools:risk_list")).status_code == 403
