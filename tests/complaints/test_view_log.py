"""Every view of a complaint's detail is logged, and QA managers can see who looked."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

pytestmark = pytest.mark.django_db


def test_qa_managers_see_who_viewed_a_complaint_and_others_do_not(
    client, complaint, adviser, qa_manager, senior_manager
):
    url = reverse("complaints:complaint_detail", args=[complaint.pk])
    client.force_login(adviser)
    client.get(url)
    client.force_login(senior_manager)
    html = client.get(url).content.decode()
    assert "Who has viewed this complaint" not in html

    client.force_login(qa_manager)
    html = client.get(url).content.decode()
    assert "Who has viewed this complaint (3 views)" in html
    views = html.split('id="views"')[1]
    assert views.index("Quinn Manager") < views.index("Sam Senior") < views.index("Ada Adviser")  # newest first
    assert ModelLogEntry.objects.filter(action="complaints.complaint.view", object_id=str(complaint.pk)).count() == 3


def test_the_detail_page_query_count_does_not_grow_with_views(
    client, complaint, qa_manager, django_assert_max_num_queries
):
    url = reverse("complaints:complaint_detail", args=[complaint.pk])
    client.force_login(qa_manager)
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    first = len(captured.captured_queries)
    for _ in range(25):
        client.get(url)
    with django_assert_max_num_queries(first):
        client.get(url)
