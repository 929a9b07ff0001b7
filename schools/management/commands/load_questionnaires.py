from django.core.management.base import BaseCommand

from schools.questionnaire_loader import questionnaires_load_shipped


class Command(BaseCommand):
    help = "Load the questionnaires shipped in schools/data/questionnaires (skips any already loaded)."

    def handle(self, *args, **options) -> None:
        for questionnaire, created in questionnaires_load_shipped():
            count = sum(section.questions.count() for section in questionnaire.sections.all())
            verb = "Loaded" if created else "Already loaded"
            self.stdout.write(f"{verb}: {questionnaire.title} ({questionnaire.academic_year}, {count} questions)")
