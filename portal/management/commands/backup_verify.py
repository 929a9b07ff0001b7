"""Prove a backup restores: restore it into a scratch database and compare every table's rows.

    manage.py backup_verify                        # dump the current database now, then check that dump
    manage.py backup_verify --dump nightly.dump    # check a dump made with `pg_dump -Fc`
    manage.py backup_verify --media-archive private-media.tar.gz   # also check the private files
    manage.py backup_verify --keep                 # leave the scratch database for a look
    manage.py backup_verify --restored-db NAME     # compare with a database restored already

The scratch database is `portal_restore_check_<timestamp>`, created and dropped on the same
server (`pg_restore --no-owner --no-privileges --exit-on-error`). Every table of the current
database (Django's, Wagtail's, every app's: `connection.introspection.table_names()`) is counted
in both; any difference is printed as a table and the command exits non-zero.

With no --dump, the dump and the source counts are taken from one snapshot (`pg_export_snapshot`
and `pg_dump --snapshot`), so people using the portal meanwhile cannot cause a false mismatch.
A --dump made earlier is compared with the database as it is now: on a live site, rows added
since show as differences, so check a fresh dump, or read the differences with that in mind.

PostgreSQL only: SQLite is backed up with `sqlite3 db.sqlite3 ".backup backup.sqlite3"`."""

import os
import shutil
import subprocess  # noqa: S404 - runs the PostgreSQL client tools, with argument lists
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

SCRATCH_PREFIX = "portal_restore_check_"


@dataclass(frozen=True)
class Mismatch:
    table: str
    source: int | None  # None: the table is missing there
    restored: int | None


# Databases and the client tools ---------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} was not found. Install the PostgreSQL client tools (Debian: apt-get install postgresql-client), "
            "at the server's major version or newer."
        )
    return path


def _client_env() -> dict[str, str]:
    """The current database's connection details, as the client tools read them."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGSSLMODE", (db.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(args: list[str], *, what: str) -> None:
    done = subprocess.run(args, env=_client_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise CommandError(f"{what} failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


def database_connection(name: str):
    """A separate connection, to database `name` on the same server with the same credentials."""
    wrapper_class = type(connections[DEFAULT_DB_ALIAS])
    return wrapper_class({**connection.settings_dict, "NAME": name}, alias=f"backup_verify_{name}")


def create_database(name: str) -> None:
    _run([_tool("createdb"), "--template=template0", name], what=f"Creating the scratch database {name}")


def drop_database(name: str) -> None:
    if not name.startswith(SCRATCH_PREFIX):
        raise CommandError(f"Refusing to drop {name}: only scratch databases ({SCRATCH_PREFIX}...) are dropped.")
    _run([_tool("dropdb"), "--if-exists", "--force", name], what=f"Dropping the scratch database {name}")


def scratch_name() -> str:
    return f"{SCRATCH_PREFIX}{timezone.now():%Y%m%d_%H%M%S_%f}"


# Counting --------------------------------------------------------------------------------


def table_names(db) -> list[str]:
    with db.cursor() as cursor:
        return sorted(db.introspection.table_names(cursor))


def count_rows(db, tables: list[str]) -> dict[str, int]:
    """Rows in each of `tables` that exists in `db`."""
    present = set(table_names(db))
    counts = {}
    with db.cursor() as cursor:
        for table in tables:
            if table in present:
                cursor.execute(f"SELECT count(*) FROM {db.ops.quote_name(table)}")  # noqa: S608 - a quoted table name
                counts[table] = cursor.fetchone()[0]
    return counts


def compare(source: dict[str, int], restored: dict[str, int]) -> list[Mismatch]:
    """Every table whose count differs, or which is missing on one side."""
    return [
        Mismatch(table, source.get(table), restored.get(table))
        for table in sorted(set(source) | set(restored))
        if source.get(table) != restored.get(table)
    ]


def mismatch_table(mismatches: list[Mismatch]) -> str:
    def show(value: int | None) -> str:
        return "missing" if value is None else str(value)

    rows = [("table", "source", "restored")] + [(m.table, show(m.source), show(m.restored)) for m in mismatches]
    width = max(len(row[0]) for row in rows)
    return "\n".join(f"{table:<{width}}  {source:>9}  {restored:>9}" for table, source, restored in rows)


# Private media ---------------------------------------------------------------------------


def media_totals(root: Path) -> tuple[int, int]:
    """(files, bytes) of the regular files under `root`."""
    files = size = 0
    if root.exists():
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                files += 1
                size += path.stat().st_size
    return files, size


def archive_totals(archive: Path) -> tuple[int, int]:
    """(files, bytes) of the regular files in a tar archive (compressed or not)."""
    try:
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile()]
    except (OSError, tarfile.TarError) as error:
        raise CommandError(f"Could not read the media archive {archive}: {error}") from error
    return len(members), sum(m.size for m in members)


# The command -----------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Restore a PostgreSQL backup into a scratch database and check every table's row count matches."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dump", type=Path, help="a dump made with pg_dump -Fc (default: make one now)")
        parser.add_argument("--media-archive", type=Path, help="a tar of PRIVATE_MEDIA_ROOT to check too")
        parser.add_argument("--keep", action="store_true", help="leave the scratch database in place")
        parser.add_argument(
            "--restored-db", help="compare with this already restored database instead of restoring one"
        )

    def handle(self, *args, dump: Path | None, media_archive: Path | None, keep: bool, restored_db, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                f"backup_verify checks PostgreSQL backups; this database is {connection.vendor}. "
                'Back up SQLite with: sqlite3 db.sqlite3 ".backup backup.sqlite3" (safe while the site runs), '
                'and check the copy with: sqlite3 backup.sqlite3 "PRAGMA integrity_check".'
            )
        if dump is not None and restored_db:
            raise CommandError("Give --dump or --restored-db, not both.")
        if dump is not None and not dump.is_file():
            raise CommandError(f"No dump file at {dump}.")
        if media_archive is not None and not media_archive.is_file():
            raise CommandError(f"No media archive at {media_archive}.")

        problems: list[str] = []
        source_db = database_connection(connection.settings_dict["NAME"])
        try:
            tables = table_names(source_db)
            if restored_db:
                self.stdout.write(f"Comparing {len(tables)} tables with the database {restored_db}.")
                source_counts = count_rows(source_db, tables)
                problems += self._compare(source_counts, restored_db, tables)
            else:
                problems += self._restore_and_compare(source_db, tables, dump=dump, keep=keep)
        finally:
            source_db.close()

        if media_archive is not None:
            problems += self._check_media(media_archive)

        if problems:
            raise CommandError("The backup does not match: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS("Backup verified: every table's row count matches."))

    def _restore_and_compare(self, source_db, tables: list[str], *, dump: Path | None, keep: bool) -> list[str]:
        scratch = scratch_name()
        with tempfile.TemporaryDirectory(prefix="backup_verify_") as workdir:
            if dump is None:
                dump = Path(workdir) / "portal.dump"
                source_counts = self._dump_with_counts(source_db, tables, dump)
                self.stdout.write(f"Dumped {connection.settings_dict['NAME']} with pg_dump -Fc ({_size(dump)}).")
            else:
                source_counts = count_rows(source_db, tables)
                self.stdout.write(
                    f"Checking {dump} ({_size(dump)}) against the database as it is now: "
                    "rows written since the dump was made show as differences."
                )
            create_database(scratch)
            try:
                _run(
                    [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "-d", scratch, str(dump)],
                    what="pg_restore",
                )
                self.stdout.write(f"Restored into {scratch}; comparing {len(tables)} tables.")
                return self._compare(source_counts, scratch, tables)
            finally:
                if keep:
                    self.stdout.write(f"Kept the scratch database {scratch} (drop it with: dropdb {scratch}).")
                else:
                    drop_database(scratch)

    def _dump_with_counts(self, source_db, tables: list[str], path: Path) -> dict[str, int]:
        """pg_dump and the counts read the same snapshot, exported from a repeatable-read transaction."""
        source_db.ensure_connection()
        source_db.set_autocommit(False)
        try:
            with source_db.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            _run(
                [_tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(path), source_db.settings_dict["NAME"]],
                what="pg_dump",
            )
            return count_rows(source_db, tables)
        finally:
            source_db.rollback()
            source_db.set_autocommit(True)

    def _compare(self, source_counts: dict[str, int], restored_name: str, tables: list[str]) -> list[str]:
        restored_db = database_connection(restored_name)
        try:
            restored_counts = count_rows(restored_db, tables)
        finally:
            restored_db.close()
        mismatches = compare(source_counts, restored_counts)
        rows = sum(source_counts.values())
        if not mismatches:
            self.stdout.write(f"{len(source_counts)} tables, {rows} rows: all match.")
            return []
        self.stdout.write(self.style.ERROR(f"{len(mismatches)} of {len(tables)} tables differ:"))
        self.stdout.write(mismatch_table(mismatches))
        return [f"{len(mismatches)} tables differ ({', '.join(m.table for m in mismatches[:5])})"]

    def _check_media(self, archive: Path) -> list[str]:
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        here = media_totals(root)
        archived = archive_totals(archive)
        self.stdout.write(
            f"Private media: {here[0]} files, {here[1]} bytes under {root}; "
            f"{archived[0]} files, {archived[1]} bytes in {archive}."
        )
        if here != archived:
            self.stdout.write(self.style.ERROR("The media archive does not match the private media directory."))
            return [f"private media: {here[0]} files ({here[1]} bytes) here, {archived[0]} ({archived[1]}) archived"]
        return []


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1024:.0f} KB"
