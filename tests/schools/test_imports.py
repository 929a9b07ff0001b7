"""The GIAS import: good rows, updates, every rejection reason, whole-file refusals and the command."""

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry
from wagtail.search.backends import get_search_backend

from schools.imports import IMPORT_LOG_ACTION, REQUIRED_COLUMNS, settings_import_gias
from schools.models import Setting
from schools.models.register import Phase, SettingKind

SAMPLE = Path(__file__).resolve().parents[2] / "schools" / "data" / "gias_sample.csv"
HEADER = [*REQUIRED_COLUMNS, "Locality"]


def row(**overrides) -> dict:
    values = {
        "URN": "912345",
        "EstablishmentName": "Hollowmere Primary School",
        "TypeOfEstablishment (name)": "Community school",
        "PhaseOfEducation (name)": "Primary",
        "EstablishmentNumber": "2999",
        "Street": "Mere Lane",
        "Town": "Hollowmere",
        "Postcode": "zz9 9zz",
        "HeadFirstName": "Iris",
        "HeadLastName": "Pender",
        "Trusts (name)": "",
        "EstablishmentStatus (name)": "Open",
        "Locality": "North",
    }
    values.update(overrides)
    return values


def gias_csv(*rows: dict, header: list[str] = HEADER, bom: bool = False) -> io.StringIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return io.StringIO(("\ufeff" if bom else "") + out.getvalue(), newline="")


def import_rows(*rows: dict, **kwargs):
    return settings_import_gias(csv_file=gias_csv(*rows, **kwargs))


def test_sample_file_imports_every_setting(db):
    with SAMPLE.open(encoding="utf-8-sig", newline="") as csv_file:
        report = settings_import_gias(csv_file=csv_file)

    assert report.rejected == []
    assert report.created_count == Setting.objects.count() == 40
    assert Setting.objects.filter(phase=Phase.PRIMARY).count() == 25
    assert Setting.objects.filter(phase=Phase.SECONDARY).count() == 8
    assert Setting.objects.filter(kind=SettingKind.SPECIAL_SCHOOL).count() == 2
    assert Setting.objects.filter(kind=SettingKind.PUPIL_REFERRAL_UNIT).count() == 1
    assert Setting.objects.filter(kind=SettingKind.INDEPENDENT_SCHOOL).count() == 2
    assert Setting.objects.filter(kind=SettingKind.FE_COLLEGE).count() == 1
    assert Setting.objects.filter(phase=Phase.ALL_THROUGH).count() == 2  # the all-through academy and an independent
    assert list(Setting.objects.filter(is_open=False).values_list("name", flat=True)) == ["Old Wharf Primary School"]
    assert set(Setting.objects.values_list("locality", flat=True)) == {"North", "East", "South", "West", "Central"}
    assert Setting.objects.exclude(trust_name="").values("trust_name").distinct().count() == 2
    assert all(urn.startswith("9") and len(urn) == 6 for urn in Setting.objects.values_list("urn", flat=True))


def test_a_good_row_becomes_a_setting(db):
    report = import_rows(row(**{"Trusts (name)": "Hollow Learning Trust"}))

    assert report.created == ["912345"]
    setting = Setting.objects.get(urn="912345")
    assert setting.name == "Hollowmere Primary School"
    assert setting.kind == SettingKind.MAINTAINED_SCHOOL
    assert setting.phase == Phase.PRIMARY
    assert setting.la_establishment_number == "2999"
    assert setting.address == "Mere Lane, Hollowmere, ZZ9 9ZZ"
    assert setting.headteacher_name == "Iris Pender"
    assert setting.trust_name == "Hollow Learning Trust"
    assert setting.locality == "North"
    assert setting.is_open is True


def test_importing_the_same_file_again_changes_nothing(db):
    import_rows(row(), row(URN="912346", EstablishmentName="Hollowmere Academy"))
    report = import_rows(row(), row(URN="912346", EstablishmentName="Hollowmere Academy"))

    assert report.created == report.updated == []
    assert sorted(report.unchanged) == ["912345", "912346"]


def test_a_changed_row_updates_the_setting_and_keeps_what_the_portal_owns(db):
    import_rows(row())
    Setting.objects.filter(urn="912345").update(dsl_name="Dee Lead", dsl_email="dsl@example.org")

    report = import_rows(
        row(EstablishmentName="Hollowmere Church of England Primary School", **{"EstablishmentStatus (name)": "Closed"})
    )

    assert report.updated == ["912345"]
    assert report.created == report.unchanged == []
    setting = Setting.objects.get(urn="912345")
    assert setting.name == "Hollowmere Church of England Primary School"
    assert setting.is_open is False
    assert (setting.dsl_name, setting.dsl_email) == ("Dee Lead", "dsl@example.org")
    entry = ModelLogEntry.objects.filter(action=IMPORT_LOG_ACTION, object_id=str(setting.pk)).first()
    assert set(entry.data["fields"]) == {"name", "is_open"}


def test_a_blank_locality_keeps_the_registers_own(db):
    import_rows(row(Locality="East"))
    import_rows(row(Locality=""))
    assert Setting.objects.get(urn="912345").locality == "East"


def test_the_locality_column_is_optional(db):
    report = import_rows(row(), header=list(REQUIRED_COLUMNS))
    assert report.created == ["912345"]
    assert Setting.objects.get().locality == ""


@pytest.mark.parametrize(
    ("overrides", "urn", "reason"),
    [
        ({"URN": ""}, "", "URN is missing."),
        ({"URN": "ABC123"}, "ABC123", "not a 6 or 7 digit number"),
        ({"URN": "12345"}, "12345", "not a 6 or 7 digit number"),
        ({"URN": "12345678"}, "12345678", "not a 6 or 7 digit number"),
        ({"EstablishmentName": "  "}, "912345", "EstablishmentName is missing."),
        ({"TypeOfEstablishment (name)": ""}, "912345", "TypeOfEstablishment (name) is missing."),
        ({"TypeOfEstablishment (name)": "Welsh establishment"}, "912345", "Unknown type of establishment"),
        ({"PhaseOfEducation (name)": "Kindergarten"}, "912345", "Unknown phase of education"),
        ({"EstablishmentStatus (name)": "Dormant"}, "912345", "Unknown establishment status"),
        ({"Postcode": "ZZ9 9ZZ EXTRA"}, "912345", "Postcode is longer than 10 characters."),
    ],
)
def test_bad_rows_are_rejected_with_the_reason_and_good_rows_still_imported(db, overrides, urn, reason):
    report = import_rows(row(URN="900900"), row(**overrides))

    assert report.created == ["900900"]
    assert len(report.rejected) == 1
    rejected = report.rejected[0]
    assert rejected.row_number == 3  # the header is row 1, the good row 2
    assert rejected.urn == urn
    assert reason in rejected.reason
    assert Setting.objects.count() == 1


def test_a_seven_digit_urn_is_accepted(db):
    assert import_rows(row(URN="1234567")).created == ["1234567"]


def test_a_duplicate_urn_keeps_the_first_row_and_rejects_the_second(db):
    report = import_rows(row(EstablishmentName="First"), row(EstablishmentName="Second"))

    assert report.created == ["912345"]
    assert [(r.row_number, r.urn) for r in report.rejected] == [(3, "912345")]
    assert "more than once" in report.rejected[0].reason
    assert "row 2" in report.rejected[0].reason
    assert Setting.objects.get().name == "First"


@pytest.mark.parametrize(
    ("gias_type", "kind"),
    [
        ("Voluntary aided school", SettingKind.MAINTAINED_SCHOOL),
        ("Foundation school", SettingKind.MAINTAINED_SCHOOL),
        ("Academy converter", SettingKind.ACADEMY),
        ("Academy sponsor led", SettingKind.ACADEMY),
        ("Free schools", SettingKind.FREE_SCHOOL),
        ("Community special school", SettingKind.SPECIAL_SCHOOL),
        ("Non-maintained special school", SettingKind.SPECIAL_SCHOOL),
        ("Academy special converter", SettingKind.SPECIAL_SCHOOL),
        ("Pupil referral unit", SettingKind.PUPIL_REFERRAL_UNIT),
        ("Academy alternative provision sponsor led", SettingKind.PUPIL_REFERRAL_UNIT),
        ("Free schools alternative provision", SettingKind.PUPIL_REFERRAL_UNIT),
        ("Other independent special school", SettingKind.INDEPENDENT_SCHOOL),
        ("Further education", SettingKind.FE_COLLEGE),
        ("sixth form centres", SettingKind.FE_COLLEGE),  # GIAS's capitals are not relied on
    ],
)
def test_gias_establishment_types_map_to_our_kinds(db, gias_type, kind):
    import_rows(row(**{"TypeOfEstablishment (name)": gias_type}))
    assert Setting.objects.get().kind == kind


@pytest.mark.parametrize(
    ("gias_phase", "phase"),
    [
        ("Nursery", Phase.NURSERY),
        ("Middle deemed primary", Phase.MIDDLE),
        ("Middle deemed secondary", Phase.MIDDLE),
        ("Secondary", Phase.SECONDARY),
        ("All-through", Phase.ALL_THROUGH),
        ("16 plus", Phase.SIXTEEN_PLUS),
        ("Not applicable", Phase.NOT_APPLICABLE),
    ],
)
def test_gias_phases_map_to_ours(db, gias_phase, phase):
    import_rows(row(**{"PhaseOfEducation (name)": gias_phase}))
    assert Setting.objects.get().phase == phase


def test_open_but_proposed_to_close_is_still_open(db):
    import_rows(row(**{"EstablishmentStatus (name)": "Open, but proposed to close"}))
    assert Setting.objects.get().is_open is True


def test_a_missing_header_column_rejects_the_whole_file(db):
    header = [column for column in HEADER if column != "TypeOfEstablishment (name)"]

    with pytest.raises(ValidationError) as caught:
        import_rows(row(), row(URN="912346"), header=header)

    assert "TypeOfEstablishment (name)" in caught.value.messages[0]
    assert Setting.objects.count() == 0


def test_a_byte_order_mark_is_ignored(db):
    report = import_rows(row(), bom=True)
    assert report.created == ["912345"]


def test_bytes_with_a_byte_order_mark_decode_as_utf8_sig(db):
    text = gias_csv(row(EstablishmentName="Ysgol Gŵyr Primary")).getvalue().encode("utf-8-sig")
    report = settings_import_gias(csv_file=io.StringIO(text.decode("utf-8-sig"), newline=""))
    assert report.created == ["912345"]
    assert Setting.objects.get().name == "Ysgol Gŵyr Primary"


def test_blank_lines_are_skipped_not_rejected(db):
    csv_file = gias_csv(row())
    text = csv_file.getvalue() + ",,,,,,,,,,,,\r\n"
    report = settings_import_gias(csv_file=io.StringIO(text, newline=""))
    assert report.created == ["912345"]
    assert report.rejected == []


def test_an_empty_file_is_refused(db):
    with pytest.raises(ValidationError, match="empty"):
        settings_import_gias(csv_file=io.StringIO(""))


def test_binary_garbage_is_refused_cleanly(db):
    with pytest.raises(ValidationError):
        settings_import_gias(csv_file=io.StringIO("\x00\x01\x02PK\x03\x04" * 50))
    assert Setting.objects.count() == 0


def test_imported_settings_are_logged_and_searchable(db, qa_manager):
    settings_import_gias(csv_file=gias_csv(row()), user=qa_manager)

    setting = Setting.objects.get()
    entry = ModelLogEntry.objects.get(action=IMPORT_LOG_ACTION, object_id=str(setting.pk))
    assert entry.user == qa_manager
    results = get_search_backend().search("Hollowmere", Setting)
    assert [s.pk for s in results] == [setting.pk]


def test_the_command_imports_the_file_and_prints_the_report(db, tmp_path):
    path = tmp_path / "gias.csv"
    path.write_text(gias_csv(row(), row(URN="bad")).getvalue(), encoding="utf-8-sig", newline="")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_gias", str(path), stdout=out, stderr=err)

    output = out.getvalue()
    assert "Created: 1. Updated: 0. Unchanged: 0. Rejected: 1." in output
    assert "Row 3 (URN bad): URN “bad” is not a 6 or 7 digit number." in output
    assert "1 rows were rejected" in err.getvalue()
    assert Setting.objects.filter(urn="912345").exists()


def test_the_command_imports_the_sample(db):
    out = io.StringIO()
    call_command("import_gias", str(SAMPLE), stdout=out)
    assert "Created: 40." in out.getvalue()
    assert "Every row was imported." in out.getvalue()


def test_the_command_reads_windows_1252_when_told(db, tmp_path):
    path = tmp_path / "gias.csv"
    path.write_bytes(gias_csv(row(EstablishmentName="St Æthelred’s School")).getvalue().encode("cp1252"))
    call_command("import_gias", str(path), "--encoding", "cp1252", stdout=io.StringIO())
    assert Setting.objects.get().name == "St Æthelred’s School"


def test_the_command_refuses_a_file_without_the_gias_columns(db, tmp_path):
    path = tmp_path / "not-gias.csv"
    path.write_text("Name,Address\nSomewhere,Nowhere\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not a GIAS extract"):
        call_command("import_gias", str(path), stdout=io.StringIO())


def test_the_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_gias", str(tmp_path / "missing.csv"), stdout=io.StringIO())
