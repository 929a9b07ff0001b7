"""`manage.py backup_verify`: a backup is only a backup once it has been restored and checked.

The PostgreSQL tests dump the test database, restore it into a scratch database and compare
every table; one deletes a row from the restored copy and expects the difference reported and a
non-zero exit. They need PostgreSQL and its client tools (pg_dump, pg_restore, createdb, dropdb),
which CI has; on SQLite they skip with the reason."""

import io
import re
import shutil
import subprocess
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from portal.management.commands import backup_verify
from portal.management.commands.backup_verify import Mismatch, compare, mismatch_table
from portal.roles import Role
from schools.models import Setting, SettingKind
from tests.factories import UserFactory

needs_postgresql = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            f"backup_verify restores PostgreSQL dumps; this run uses {connection.vendor}. CI runs it on "
            "PostgreSQL; locally set DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_<name>."
        )
    if shutil.which("pg_restore") is None:
        pytest.fail("pg_restore is missing: install postgresql-client")


@pytest.fixture
def some_rows(migrated_reference_data):
    for n in range(3):
        UserFactory(roles=[Role.SCHOOL_USER], email=f"dsl{n}@school{n}.example.org")
        Setting.objects.create(name=f"School {n}", urn=f"90000{n}", kind=SettingKind.MAINTAINED_SCHOOL)


@pytest.fixture
def private_media(settings, tmp_path):
    root = tmp_path / "private-media"
    (root / "evidence" / "2026").mkdir(parents=True)
    (root / "evidence" / "2026" / "policy.pdf").write_bytes(b"%PDF-1.7 " + b"x" * 500)
    (root / "evidence" / "2026" / "minutes.docx").write_bytes(b"PK" + b"y" * 300)
    settings.PRIVATE_MEDIA_ROOT = root
    return root


def archive_of(root, path):
    with tarfile.open(path, "w:gz") as tar:
        tar.add(root, arcname="private-media")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("backup_verify", *args, stdout=out)
    return out.getvalue()


def scratch_databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'portal\\_restore\\_check\\_%%'")
        return {row[0] for row in cursor.fetchall()}


# Everywhere ------------------------------------------------------------------------------


def test_on_sqlite_it_explains_the_sqlite_backup_instead(monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    with pytest.raises(CommandError, match=r'sqlite3 db\.sqlite3 "\.backup backup\.sqlite3"'):
        call_command("backup_verify", stdout=io.StringIO())


def test_compare_reports_differences_and_missing_tables():
    source = {"schools_setting": 3, "portal_user": 5, "wagtailcore_page": 4}
    restored = {"schools_setting": 2, "portal_user": 5}
    mismatches = compare(source, restored)
    assert mismatches == [Mismatch("schools_setting", 3, 2), Mismatch("wagtailcore_page", 4, None)]
    lines = mismatch_table(mismatches).splitlines()
    assert lines[0].split() == ["table", "source", "restored"]
    assert lines[1].split() == ["schools_setting", "3", "2"]
    assert lines[2].split() == ["wagtailcore_page", "4", "missing"]
    assert compare(source, dict(source)) == []


def test_media_totals_match_their_archive(private_media, tmp_path):
    archive = archive_of(private_media, tmp_path / "media.tar.gz")
    assert backup_verify.media_totals(private_media) == backup_verify.archive_totals(archive) == (2, 811)


def test_scratch_databases_are_the_only_ones_it_will_drop():
    with pytest.raises(CommandError, match="Refusing to drop"):
        backup_verify.drop_database("portal")


# On PostgreSQL -----------------------------------------------------------------------------


@needs_postgresql
def test_a_fresh_dump_restores_with_every_table_matching(postgresql, some_rows, private_media, tmp_path):
    before = scratch_databases()
    archive = archive_of(private_media, tmp_path / "media.tar.gz")
    output = run("--media-archive", str(archive))
    assert "Dumped" in output and "pg_dump -Fc" in output
    match = re.search(r"Restored into (portal_restore_check_\w+); comparing (\d+) tables", output)
    assert match, output
    assert int(match.group(2)) > 50  # Django's, Wagtail's and every app's tables
    assert re.search(r"\d+ tables, \d+ rows: all match", output)
    assert "Private media: 2 files, 811 bytes" in output
    assert "Backup verified" in output
    assert scratch_databases() == before  # the scratch database was dropped


@needs_postgresql
def test_a_dump_made_by_pg_dump_is_checked(postgresql, some_rows, tmp_path):
    dump = tmp_path / "nightly.dump"
    db = connection.settings_dict
    subprocess.run(  # noqa: S603
        ["pg_dump", "-Fc", "-f", str(dump), db["NAME"]],  # noqa: S607
        env=backup_verify._client_env(),
        check=True,
    )
    output = run("--dump", str(dump))
    assert "against the database as it is now" in output
    assert "Backup verified" in output


@needs_postgresql
def test_a_row_missing_from_the_restore_is_reported_and_fails(postgresql, some_rows, private_media, tmp_path):
    output = run("--keep")
    scratch = re.search(r"Kept the scratch database (portal_restore_check_\w+)", output).group(1)
    try:
        # Tamper with the restored copy: one setting lost.
        restored = backup_verify.database_connection(scratch)
        try:
            with restored.cursor() as cursor:
                cursor.execute("DELETE FROM schools_setting WHERE urn = %s", ["900001"])
        finally:
            restored.close()
        out = io.StringIO()
        with pytest.raises(CommandError, match=r"The backup does not match: 1 tables differ \(schools_setting\)"):
            call_command("backup_verify", "--restored-db", scratch, stdout=out)
        report = out.getvalue()
        assert "1 of" in report and "tables differ" in report
        (row,) = [line for line in report.splitlines() if line.startswith("schools_setting")]
        assert row.split() == ["schools_setting", "3", "2"]

        # And a media archive that lacks a file fails too.
        archive = archive_of(private_media, tmp_path / "media.tar.gz")
        (private_media / "evidence" / "2026" / "late.pdf").write_bytes(b"%PDF-1.7 late")
        with pytest.raises(CommandError, match="private media: 3 files"):
            call_command("backup_verify", "--restored-db", scratch, "--media-archive", str(archive), stdout=out)
    finally:
        backup_verify.drop_database(scratch)
    assert scratch not in scratch_databases()


@needs_postgresql
def test_a_missing_dump_file_is_a_clear_error(postgresql, tmp_path):
    with pytest.raises(CommandError, match="No dump file at"):
        call_command("backup_verify", "--dump", str(tmp_path / "nope.dump"), stdout=io.StringIO())
