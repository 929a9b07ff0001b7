"""`manage.py seed_scale --profile county|national [--seed 1] [--database-check]`: fill an empty
benchmark database with every app's records at scale (qpag/scale.py), printing each part's time.

It refuses a database that already has settings unless --force (it is for benchmark databases,
never a live register), a database it has already seeded, the national profile on anything but
PostgreSQL, and production settings (the seeded accounts share a known password)."""

from time import perf_counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from qpag import scale


class Command(BaseCommand):
    help = "Bulk-seed every app at county or national scale into an empty benchmark database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--profile", choices=sorted(scale.PROFILES), default="county")
        parser.add_argument("--seed", type=int, default=1, help="Same seed and day, same data (default 1).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though the database already has settings (a demo database, never a live register).",
        )
        parser.add_argument(
            "--database-check",
            action="store_true",
            help="Only say whether this database may be seeded with the profile (nothing is written).",
        )

    def handle(self, *args, profile: str, seed: int, force: bool, database_check: bool, **options) -> None:
        if getattr(settings, "PORTAL_ENVIRONMENT", "") == "production":
            raise CommandError("seed_scale creates accounts with a known password: it will not run in production.")
        chosen = scale.PROFILES[profile]
        database = connection.settings_dict.get("NAME")
        problem = scale.refusal(chosen, force=force)
        if problem:
            raise CommandError(problem)
        if database_check:
            self.stdout.write(f"{connection.vendor} database {database}: the {profile} profile may be seeded here.")
            return
        self.stdout.write(f"Seeding the {profile} profile (seed {seed}) into {connection.vendor} database {database}:")
        # Nothing here sends mail, but Wagtail page signals and hooks may try: keep it local.
        start = perf_counter()
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            scale.seed(chosen, seed=seed, report=self.stdout.write)
            committing = perf_counter()
        # PostgreSQL checks Django's deferred foreign keys at commit: seconds for millions of answers.
        self.stdout.write(f"{'commit':<18} {perf_counter() - committing:7.1f} s  deferred foreign-key checks")
        analyze_start = perf_counter()
        described = scale.analyze()
        self.stdout.write(f"{'ANALYZE':<18} {perf_counter() - analyze_start:7.1f} s  {described}")
        self.stdout.write(f"{'total with ANALYZE':<18} {perf_counter() - start:7.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Done. Staff sign in as e.g. {scale.staff_email(scale.Role.ADVISER)}."))
