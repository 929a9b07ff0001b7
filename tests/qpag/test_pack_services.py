"""Drafting, narrative, issuing and the files of a QPAG pack: allowed and refused paths, the
narrative version conflict, and an issued pack that never changes (snapshot immutability)."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from portal.roles import Role
from qpag.constants import Grade
from qpag.models import QpagPack
from qpag.pack_files import pack_files_build, pack_xlsx
from qpag.services import InvalidTransition
from qpag.services_packs import MAX_NARRATIVE_CHARS, PackConflict, pack_draft, pack_issue, pack_narrative_save

from .conftest import D
from .test_pack_figures import OCTOBER, TODAY, pack_data  # noqa: F401 - a fixture

NOVEMBER = D("2026-11-01")


def _logged(pack, action: str) -> bool:
    return ModelLogEntry.objects.filter(action=action, object_id=str(pack.pk)).exists()


def test_draft_makes_one_pack_per_month(qa_manager, db):
    pack = pack_draft(month=D("2026-10-17"), user=qa_manager, today=TODAY)
    assert pack.month == OCTOBER
    assert pack.status == QpagPack.Status.DRAFT
    assert pack.drafted_by == qa_manager
    assert _logged(pack, "qpag.pack.draft")
    assert pack_draft(month=OCTOBER, user=qa_manager, today=TODAY).pk == pack.pk
    assert QpagPack.objects.count() == 1


def test_the_system_can_draft(db):
    pack = pack_draft(month=OCTOBER, user=None, today=TODAY)
    assert pack.drafted_by is None


def test_draft_refuses_other_roles_and_future_months(qa_manager, make_user, db):
    with pytest.raises(PermissionDenied):
        pack_draft(month=OCTOBER, user=make_user(Role.SENIOR_MANAGER), today=TODAY)
    with pytest.raises(ValidationError):
        pack_draft(month=D("2026-12-01"), user=qa_manager, today=TODAY)


def test_draft_returns_an_issued_pack_unchanged(qa_manager, db):
    pack = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    pack_issue(pack=pack, user=qa_manager, today=TODAY)
    again = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    assert again.pk == pack.pk and again.is_issued


def test_narrative_save_and_version(qa_manager, db):
    pack = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    pack = pack_narrative_save(
        pack=pack, user=qa_manager, narrative={"performance": " Two reviews late. ", "send": ""}, version=0
    )
    assert pack.narrative == {"performance": "Two reviews late."}
    assert pack.version == 1
    assert _logged(pack, "qpag.pack.narrative")


def test_narrative_refuses_bad_input(qa_manager, make_user, db):
    pack = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    with pytest.raises(ValidationError, match="Unknown pack sections"):
        pack_narrative_save(pack=pack, user=qa_manager, narrative={"gossip": "x"}, version=0)
    with pytest.raises(ValidationError) as too_long:
        pack_narrative_save(pack=pack, user=qa_manager, narrative={"send": "x" * (MAX_NARRATIVE_CHARS + 1)}, version=0)
    assert "send" in too_long.value.message_dict
    with pytest.raises(PermissionDenied):
        pack_narrative_save(pack=pack, user=make_user(Role.SENIOR_MANAGER), narrative={}, version=0)
    pack.refresh_from_db()
    assert pack.version == 0 and pack.narrative == {}


def test_a_stale_version_is_a_conflict_and_nothing_is_lost(qa_manager, make_user, db):
    other = make_user(Role.QA_MANAGER, email="qa2@example.org")
    pack = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    pack_narrative_save(pack=pack, user=other, narrative={"performance": "Theirs"}, version=0)
    with pytest.raises(PackConflict) as conflict:
        pack_narrative_save(pack=pack, user=qa_manager, narrative={"performance": "Mine"}, version=0)
    assert conflict.value.pack.narrative == {"performance": "Theirs"}
    assert conflict.value.pack.version == 1
    pack.refresh_from_db()
    assert pack.narrative == {"performance": "Theirs"}
    # Saving again from the version now shown wins.
    pack = pack_narrative_save(pack=pack, user=qa_manager, narrative={"performance": "Theirs and mine"}, version=1)
    assert pack.version == 2


@pytest.mark.usefixtures("pack_data")
def test_issue_freezes_the_figures(qa_manager, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("qpag.tasks.build_pack_files_task.delay", lambda **kw: queued.append(kw))
    pack = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_issue(pack=pack, user=qa_manager, today=TODAY)
    assert pack.is_issued
    assert pack.issued_by == qa_manager and pack.issued_at
    assert pack.files_status == QpagPack.FilesStatus.PENDING
    assert pack.figures["social_work"]["notified"] == 3
    assert queued == [{"pack_id": pack.pk}]
    assert _logged(pack, "qpag.pack.issue")


def test_issue_refused_for_the_current_month_an_issued_pack_and_other_roles(qa_manager, make_user, db):
    current = pack_draft(month=NOVEMBER, user=qa_manager, today=TODAY)
    with pytest.raises(InvalidTransition, match="not over"):
        pack_issue(pack=current, user=qa_manager, today=TODAY)
    last = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    with pytest.raises(PermissionDenied):
        pack_issue(pack=last, user=make_user(Role.SENIOR_MANAGER), today=TODAY)
    pack_issue(pack=last, user=qa_manager, today=TODAY)
    with pytest.raises(InvalidTransition, match="already been issued"):
        pack_issue(pack=last, user=qa_manager, today=TODAY)
    current.refresh_from_db()
    assert not current.is_issued


@pytest.mark.usefixtures("pack_data")
def test_an_issued_pack_never_changes(make_audit, qa_manager):
    pack = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    pack = pack_narrative_save(pack=pack, user=qa_manager, narrative={"send": "One escalation."}, version=0)
    pack = pack_issue(pack=pack, user=qa_manager, today=TODAY)
    frozen = dict(pack.figures)
    assert pack_files_build(pack_id=pack.pk) == "ready"
    pack.refresh_from_db()
    xlsx_before = pack.xlsx.read()

    # The live data changes afterwards.
    make_audit(case_number="SC-LATE", grade=Grade.INADEQUATE)
    pack.refresh_from_db()
    assert pack.figures == frozen
    assert pack.figures["social_work"]["notified"] == 3

    # The model refuses any change to the content.
    pack.narrative = {"send": "Rewritten"}
    with pytest.raises(ValidationError):
        pack.save()
    pack.refresh_from_db()
    pack.figures = {}
    with pytest.raises(ValidationError):
        pack.save()
    pack.refresh_from_db()
    with pytest.raises(InvalidTransition):
        pack_narrative_save(pack=pack, user=qa_manager, narrative={"send": "Rewritten"}, version=pack.version)

    # The files are not rebuilt, and a rebuild would write the same figures.
    assert pack_files_build(pack_id=pack.pk) == "skipped"
    pack.refresh_from_db()
    assert pack.xlsx.read() == xlsx_before
    assert pack.narrative == {"send": "One escalation."}


@pytest.mark.usefixtures("pack_data")
def test_files_task_builds_both_files(qa_manager):
    pack = pack_issue(pack=pack_draft(month=OCTOBER, user=qa_manager, today=TODAY), user=qa_manager, today=TODAY)
    assert pack_files_build(pack_id=pack.pk) == "ready"
    pack.refresh_from_db()
    assert pack.files_status == QpagPack.FilesStatus.READY
    assert pack.pdf.read(4) == b"%PDF"
    workbook = load_workbook(io.BytesIO(pack_xlsx(pack)))
    assert len(workbook.sheetnames) == 13  # a sheet per section and the counting rules
    sheet = workbook.worksheets[1]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Audits notified" in values


@pytest.mark.usefixtures("pack_data")
def test_files_task_records_a_failure(qa_manager, monkeypatch):
    pack = pack_issue(pack=pack_draft(month=OCTOBER, user=qa_manager, today=TODAY), user=qa_manager, today=TODAY)

    def broken(_pack):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("qpag.pack_files.pack_pdf", broken)
    assert pack_files_build(pack_id=pack.pk) == "failed"
    pack.refresh_from_db()
    assert pack.files_status == QpagPack.FilesStatus.FAILED
    assert "no fonts" in pack.files_error
    assert not pack.pdf and not pack.xlsx


def test_files_task_ignores_a_draft(qa_manager, db):
    pack = pack_draft(month=OCTOBER, user=qa_manager, today=TODAY)
    assert pack_files_build(pack_id=pack.pk) == "skipped"
