"""Forms for completing and reviewing audit returns, in GOV.UK markup (portal.forms)."""

from django import forms

from portal.forms import GovukFormMixin
from schools.evidence import ALLOWED_DESCRIPTION, MAX_BYTES
from schools.models import AuditReturn, Question, Questionnaire, Setting, SettingRole
from schools.models.questionnaires import AnswerType, Compliance

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y"]


def date_field(*, label: str, required_message: str, example: str = "27/3/2023") -> forms.DateField:
    """A GOV.UK-style date field: one short box, a worked example, plain error messages."""
    return forms.DateField(
        label=label,
        help_text=f"For example, {example}",
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": required_message, "invalid": "Enter a real date"},
    )


def value_field_name(question: Question) -> str:
    return f"q{question.pk}"


def follow_up_field_name(question: Question) -> str:
    return f"q{question.pk}_follow_up"


def version_field_name(question: Question) -> str:
    return f"q{question.pk}_version"


def _value_field(question: Question) -> forms.Field:
    label = f"{question.code} {question.text}"
    common = {"label": label, "required": False, "help_text": question.kcsie_reference}
    match question.answer_type:
        case AnswerType.COMPLIANCE:
            return forms.ChoiceField(choices=Compliance.choices, widget=forms.RadioSelect, **common)
        case AnswerType.SHORT_TEXT:
            return forms.CharField(max_length=500, **common)
        case AnswerType.LONG_TEXT:
            return forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}), **common)
        case AnswerType.NUMBER:
            return forms.DecimalField(
                max_digits=12,
                decimal_places=2,
                min_value=0,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
                error_messages={"invalid": f"{question.code}: enter a number, like 12"},
                **common,
            )
        case AnswerType.DATE:
            common["help_text"] = "For example, 27/3/2023"
            return forms.DateField(
                input_formats=DATE_FORMATS,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
                error_messages={"invalid": f"{question.code}: enter a real date, like 27/3/2023"},
                **common,
            )
        case AnswerType.EVIDENCE:
            common["help_text"] = f"{ALLOWED_DESCRIPTION}, up to {MAX_BYTES // (1024 * 1024)} MB"
            return forms.FileField(
                error_messages={"empty": "The selected file is empty", "invalid": "Select a file to upload"}, **common
            )
    raise ValueError(question.answer_type)


class AnswerPageForm(GovukFormMixin, forms.Form):
    """One wizard page: a few questions, each with its follow-up and the version it was drawn at."""

    def __init__(self, *args, questions: list[Question], answers: dict, existing_files: dict, **kwargs):
        self.questions = questions
        self.answers = answers
        self.existing_files = existing_files
        self.require_complete = False
        super().__init__(*args, **kwargs)
        initial = self.initial
        for question in questions:
            answer = answers.get(question.pk)
            self.fields[value_field_name(question)] = _value_field(question)
            if question.follow_up_prompt:
                self.fields[follow_up_field_name(question)] = forms.CharField(
                    label=f"If partly or no: {question.follow_up_prompt}",
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            self.fields[version_field_name(question)] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0
            )
            initial[version_field_name(question)] = answer.version if answer else 0
            if answer is not None:
                initial[value_field_name(question)] = _answer_value(question, answer)
                initial[follow_up_field_name(question)] = answer.follow_up

    def blocks(self) -> list[dict]:
        """Each question with its bound fields, for the template."""
        result = []
        for question in self.questions:
            follow_name = follow_up_field_name(question)
            result.append(
                {
                    "question": question,
                    "answer": self.answers.get(question.pk),
                    "field": self[value_field_name(question)],
                    "follow_up": self[follow_name] if follow_name in self.fields else None,
                    "version": self[version_field_name(question)],
                    "files": self.existing_files.get(question.pk, []),
                }
            )
        return result

    def clean(self) -> dict:
        cleaned = super().clean()
        for question in self.questions:
            value = cleaned.get(value_field_name(question))
            if self.has_error(value_field_name(question)):
                continue
            follow_up = (cleaned.get(follow_up_field_name(question)) or "").strip()
            if not self.require_complete:
                continue
            has_value = value not in (None, "") or (
                question.answer_type == AnswerType.EVIDENCE and self.existing_files.get(question.pk)
            )
            if question.required and not has_value:
                self.add_error(value_field_name(question), _required_message(question))
            elif (
                question.follow_up_prompt
                and value in {Compliance.PARTLY, Compliance.NO}
                and not follow_up
                and follow_up_field_name(question) in self.fields
            ):
                self.add_error(follow_up_field_name(question), f"{question.code}: {question.follow_up_prompt}")
        return cleaned

    def answer_values(self) -> dict[int, dict]:
        """What to save, by question id (evidence questions carry their files separately)."""
        values = {}
        for question in self.questions:
            if question.answer_type == AnswerType.EVIDENCE:
                continue
            value = self.cleaned_data.get(value_field_name(question))
            entry = {"compliance": "", "text": "", "number": None, "date": None}
            match question.answer_type:
                case AnswerType.COMPLIANCE:
                    entry["compliance"] = value or ""
                case AnswerType.SHORT_TEXT | AnswerType.LONG_TEXT:
                    entry["text"] = (value or "").strip()
                case AnswerType.NUMBER:
                    entry["number"] = value
                case AnswerType.DATE:
                    entry["date"] = value
            entry["follow_up"] = (self.cleaned_data.get(follow_up_field_name(question)) or "").strip()
            values[question.pk] = entry
        return values

    def seen_versions(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data.get(version_field_name(q)) or 0 for q in self.questions}

    def uploads(self) -> dict[int, object]:
        return {
            q.pk: self.cleaned_data[value_field_name(q)]
            for q in self.questions
            if q.answer_type == AnswerType.EVIDENCE and self.cleaned_data.get(value_field_name(q))
        }


def _required_message(question: Question) -> str:
    match question.answer_type:
        case AnswerType.COMPLIANCE:
            return f"{question.code}: select yes, partly, no or not applicable"
        case AnswerType.EVIDENCE:
            return f"{question.code}: upload a file"
        case AnswerType.DATE:
            return f"{question.code}: enter a date"
        case AnswerType.NUMBER:
            return f"{question.code}: enter a number"
    return f"{question.code}: enter an answer"


def _answer_value(question: Question, answer):
    match question.answer_type:
        case AnswerType.COMPLIANCE:
            return answer.compliance
        case AnswerType.SHORT_TEXT | AnswerType.LONG_TEXT:
            return answer.text
        case AnswerType.NUMBER:
            return answer.number
        case AnswerType.DATE:
            return answer.date
    return None


class SignOffForm(GovukFormMixin, forms.Form):
    headteacher_name = forms.CharField(
        max_length=200, error_messages={"required": "Enter the headteacher's name"}, label="Headteacher's full name"
    )
    headteacher_on = date_field(
        label="Date the headteacher confirmed the return", required_message="Enter the date the headteacher confirmed"
    )
    chair_name = forms.CharField(
        max_length=200,
        label="Chair of governors' full name",
        error_messages={"required": "Enter the chair of governors' name"},
    )
    chair_on = date_field(
        label="Date the chair of governors confirmed the return",
        required_message="Enter the date the chair of governors confirmed",
    )

    def __init__(self, *args, is_ap: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if is_ap:
            del self.fields["chair_name"]
            del self.fields["chair_on"]
            self.fields["headteacher_name"].label = "Provider manager's full name"
            self.fields["headteacher_name"].error_messages["required"] = "Enter the provider manager's name"
            self.fields["headteacher_on"].label = "Date the provider manager confirmed the return"

    def clean(self) -> dict:
        from django.utils import timezone

        cleaned = super().clean()
        for name in ("headteacher_on", "chair_on"):
            if cleaned.get(name) and cleaned[name] > timezone.localdate():
                self.add_error(name, "The date must be today or in the past")
        return cleaned


class AssignSectionForm(GovukFormMixin, forms.Form):
    assignee = forms.ChoiceField(label="Who should complete this section?", required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.user.pk): m.user for m in members}
        self.fields["assignee"].choices = [("", "Nobody in particular")] + [
            (pk, f"{user.get_full_name() or user.email}") for pk, user in self.members.items()
        ]


class ReviewCommentForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Enter a comment"},
    )
    # "" for the whole return, "s<id>" for a section, "q<id>" for a question.
    target = forms.RegexField(regex=r"^([sq]\d{1,10})?$", required=False, widget=forms.HiddenInput)


class ReturnForChangesForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="What does the setting need to change?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Say what the setting needs to change"},
    )


class FeedbackForm(GovukFormMixin, forms.Form):
    judgement = forms.ChoiceField(
        label="Overall judgement",
        choices=AuditReturn.Judgement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select an overall judgement"},
    )
    summary = forms.CharField(
        label="Summary of your feedback",
        help_text="What is strong, what must improve, and what happens next. The setting's members will see this.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        error_messages={"required": "Write a summary of your feedback"},
    )


class MemberInvitationForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(max_length=150, error_messages={"required": "Enter the person's first name"})
    last_name = forms.CharField(max_length=150, error_messages={"required": "Enter the person's last name"})
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    setting_role = forms.ChoiceField(
        label="Their role at the setting",
        choices=SettingRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role at the setting"},
    )

    def clean_email(self) -> str:
        from portal.models import User

        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "This person already has an account. Ask the QA team to add them to the setting"
            )
        return email


class CycleOpenForm(GovukFormMixin, forms.Form):
    questionnaire = forms.ModelChoiceField(
        queryset=Questionnaire.objects.none(),
        label="Questionnaire",
        help_text="Only published questionnaires can be used. The cycle keeps this version for good.",
        error_messages={"required": "Select a questionnaire"},
    )
    title = forms.CharField(
        max_length=200,
        label="Title",
        help_text="For example, 175/157 safeguarding audit 2023/24",
        error_messages={"required": "Enter a title"},
    )
    opens_on = date_field(label="Opens on", required_message="Enter the date the audit opens", example="4/9/2023")
    due_on = date_field(label="Due on", required_message="Enter the date returns are due", example="20/10/2023")
    localities = forms.MultipleChoiceField(
        label="Which localities?",
        help_text="Leave all unticked to include every open setting this audit applies to.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, localities: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(status=Questionnaire.Status.PUBLISHED)
        self.fields["localities"].choices = [(name, name) for name in localities]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("opens_on") and cleaned.get("due_on") and cleaned["due_on"] < cleaned["opens_on"]:
            self.add_error("due_on", "The due date must be on or after the opening date")
        return cleaned


class CycleAddSettingsForm(GovukFormMixin, forms.Form):
    settings = forms.ModelMultipleChoiceField(
        queryset=Setting.objects.none(),
        label="Settings to add",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one setting"},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settings"].queryset = queryset


# Action plans --------------------------------------------------------------------------------


class ActionForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        label="What must change",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Describe what must change"},
    )
    theme = forms.ModelChoiceField(queryset=None, required=False, label="Practice area")
    owner_name = forms.CharField(label="Owner at the setting", max_length=200, required=False)
    owner_role = forms.CharField(label="Owner's role", max_length=120, required=False)
    due_on = date_field(label="Due on", required_message="Enter the date the action is due", example="31/3/2027")

    def __init__(self, *args, **kwargs):
        from portal.models import Theme

        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(is_active=True)


class AgreePlanForm(GovukFormMixin, forms.Form):
    agreed_with = forms.CharField(
        label="Your name and role",
        help_text="For example, Sarah Jones, designated safeguarding lead",
        max_length=200,
        error_messages={"required": "Enter the name of the person agreeing the plan"},
    )


class ProgressForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="What have you done?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Describe the progress made"},
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text=f"{ALLOWED_DESCRIPTION}, up to 20 MB",
        error_messages={"empty": "The selected file is empty"},
    )
    completed = forms.BooleanField(label="This action is now complete", required=False)


class ExtensionRequestForm(GovukFormMixin, forms.Form):
    new_due_on = date_field(label="New due date", required_message="Enter the new due date", example="30/6/2027")
    reason = forms.CharField(
        label="Why do you need more time?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give a reason for the extension"},
    )


class ExtensionDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve the new date"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or refuse"},
    )
    note = forms.CharField(
        label="Note to the setting",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text="Required if you refuse.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say why the extension is refused")
        return cleaned


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Give a reason"},
    )
