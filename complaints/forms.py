"""Forms for the complaint pages, in GOV.UK markup (portal.forms). They check what a person
typed; the rules about states, dates and roles live in `complaints.services`, whose messages
the views add to these forms."""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.forms import GovukFormMixin
from portal.models import Theme
from portal.roles import Role
from schools.evidence import evidence_check
from schools.models import Setting

from .models import Complaint, NotifiedWhom, Outcome, ReceivedVia, ReferredTo, Severity, Source
from .services import CONTACT_KINDS

DATE_EXAMPLE = "For example, 27 3 2026"


# The GOV.UK date input: day, month and year boxes in a fieldset -----------------------------
# https://design-system.service.gov.uk/components/date-input/


class GovukDateWidget(forms.MultiWidget):
    """Three boxes. The day box takes the field's own id, so the error summary's link (which
    points at the field's id) lands the cursor in the first box."""

    template_name = "complaints/includes/date_input_widget.html"
    PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}) for name, _, _ in self.PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        has_error = "--error" in (context["widget"]["attrs"].get("class") or "")
        for subwidget, (part, label, width) in zip(context["widget"]["subwidgets"], self.PARTS, strict=True):
            sub_attrs = subwidget["attrs"]
            # The fieldset carries the hint and error (aria-describedby), not each box.
            sub_attrs.pop("aria-describedby", None)
            if field_id:
                sub_attrs["id"] = field_id if part == "day" else f"{field_id}_{part}"
            classes = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            sub_attrs["class"] = classes + (" govuk-input--error" if has_error else "")
            subwidget["label"] = label
        return context

    def id_for_label(self, id_):
        return id_


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages."""

    widget = GovukDateWidget

    def __init__(self, *, label: str, required_message: str = "", help_text: str = DATE_EXAMPLE, **kwargs):
        parts = [forms.CharField(required=False, max_length=4) for _ in range(3)]
        super().__init__(
            parts,
            label=label,
            help_text=help_text,
            require_all_fields=False,
            template_name="complaints/includes/date_field.html",
            error_messages={"required": required_message or f"Enter the {label.lower()}"},
            **kwargs,
        )

    def clean(self, value) -> date | None:
        day, month, year = (str(part or "").strip() for part in (list(value or []) + [None] * 3)[:3])
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{self.label} must include a {' and a '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{self.label} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a day such as 2147483648
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from None

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return None


def _text(label: str, *, required_message: str = "", help_text: str = "", rows: int = 4, max_length: int = 10_000):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required_message),
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message},
    )


def _radios(label: str, choices, *, required_message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


# Logging and editing a complaint ------------------------------------------------------------


def adviser_users() -> QuerySet:
    """Active people holding the Adviser role: who a complaint can be assigned to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.ADVISER.group_name)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class ComplaintForm(GovukFormMixin, forms.Form):
    """The details of a complaint: the same fields for logging it and for changing them later.
    With `complaint`, the choices keep what it already has (a closed setting, a theme no longer
    in use, an adviser who has left) so that saving other changes does not fail."""

    setting = forms.ModelChoiceField(
        queryset=Setting.objects.none(),
        label="Setting",
        help_text="The school, college or provider the complaint is about. Only open settings are listed.",
        empty_label="Choose a setting",
        error_messages={"required": "Choose the setting", "invalid_choice": "Choose a setting from the list"},
    )
    received_on = GovukDateField(label="Date received", required_message="Enter the date the complaint was received")
    source = _radios("Who raised it", Source.choices, required_message="Choose who raised the complaint")
    source_reference = forms.CharField(
        label="Ofsted or DfE reference",
        required=False,
        max_length=60,
        help_text="If given, as shown on the notification.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    received_via = _radios("How it was received", ReceivedVia.choices, required_message="Choose how it was received")
    complainant_name = forms.CharField(
        label="Complainant's name (optional)",
        required=False,
        max_length=200,
        help_text="Personal data: only advisers and QA managers see it, and it is deleted after the retention period.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    complainant_contact = forms.CharField(
        label="Complainant's contact details (optional)",
        required=False,
        max_length=300,
        help_text="Email address, telephone number or postal address. Personal data, treated as the name is.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    summary = _text(
        "Summary of the complaint",
        required_message="Enter a summary of the complaint",
        help_text="The safeguarding concerns raised. The setting never sees this.",
        rows=6,
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        label="Practice areas (optional)",
        required=False,
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose practice areas from the list"},
    )
    severity = _radios("Severity", Severity.choices, required_message="Choose the severity")
    assigned_adviser = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        label="Assigned adviser (optional)",
        required=False,
        empty_label="Not assigned yet",
        error_messages={"invalid_choice": "Choose an adviser from the list"},
    )

    def __init__(self, *args, complaint: Complaint | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        settings_q = Q(is_open=True)
        themes_q = Q(is_active=True)
        advisers = adviser_users()
        if complaint is not None:
            settings_q |= Q(pk=complaint.setting_id)
            themes_q |= Q(pk__in=complaint.themes.values("pk"))
            if complaint.assigned_adviser_id:
                advisers = get_user_model().objects.filter(
                    Q(pk__in=advisers.values("pk")) | Q(pk=complaint.assigned_adviser_id)
                )
                advisers = advisers.order_by("first_name", "last_name", "email")
        # Closed settings stay valid choices so that choosing one gets the clear message below,
        # not "choose from the list"; only open ones (and the complaint's own) are offered.
        self.fields["setting"].queryset = Setting.objects.order_by("name")
        self.fields["setting"].widget.choices = [("", "Choose a setting")] + [
            (pk, name) for pk, name in Setting.objects.filter(settings_q).order_by("name").values_list("pk", "name")
        ]
        self.fields["themes"].queryset = Theme.objects.filter(themes_q)
        self.fields["assigned_adviser"].queryset = advisers

    def clean_setting(self) -> Setting:
        setting = self.cleaned_data["setting"]
        keeping = self.complaint is not None and setting.pk == self.complaint.setting_id
        if not setting.is_open and not keeping:
            raise ValidationError("This setting is closed. Complaints can only be logged for open settings")
        return setting

    def clean_received_on(self) -> date:
        received_on = self.cleaned_data["received_on"]
        if received_on and received_on > timezone.localdate():
            raise ValidationError("The date received must be today or in the past")
        return received_on

    def service_fields(self) -> dict:
        """The cleaned data as `complaint_log` / `complaint_update` take it (themes apart)."""
        data = dict(self.cleaned_data)
        data.pop("themes", None)
        return data

    @classmethod
    def initial_for(cls, complaint: Complaint) -> dict:
        initial = {name: getattr(complaint, name) for name in cls.base_fields if name != "themes"}
        initial["setting"] = complaint.setting_id
        initial["assigned_adviser"] = complaint.assigned_adviser_id
        initial["themes"] = list(complaint.themes.values_list("pk", flat=True))
        return initial


# The actions on the detail page --------------------------------------------------------------


class ActionForm(GovukFormMixin, forms.Form):
    """An action on the detail page. Dates default to today."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        for name in self.date_fields:
            self.fields[name].initial = today


class ConfirmForm(ActionForm):
    """An action that is only a button."""


class AcknowledgeForm(ActionForm):
    date_fields = ("on",)
    on = GovukDateField(label="Date acknowledged", required_message="Enter the date the complaint was acknowledged")


class PauseForm(ActionForm):
    date_fields = ("on",)
    on = GovukDateField(label="Date paused", required_message="Enter the date the investigation was paused")
    reason = _text(
        "What information are you waiting for?",
        required_message="Enter what information you are waiting for",
        help_text="The clock stops until you resume. The respond-by date moves later by the working days paused.",
        rows=3,
    )


class ResumeForm(ActionForm):
    date_fields = ("on",)
    on = GovukDateField(label="Date resumed", required_message="Enter the date the investigation resumed")


class SettingNotifiedForm(ActionForm):
    date_fields = ("on",)
    on = GovukDateField(label="Date the setting was told", required_message="Enter the date the setting was told")
    whom = _radios("Who was told", NotifiedWhom.choices, required_message="Choose who at the setting was told")


class NoteForm(ActionForm):
    about = _radios(
        "What the note is about",
        [(key, label) for key, (_kind, label) in CONTACT_KINDS.items()],
        required_message="Choose what the note is about",
    )
    note = _text("Note", required_message="Enter the note", rows=4)


class WithdrawForm(ActionForm):
    date_fields = ("on",)
    on = GovukDateField(label="Date withdrawn", required_message="Enter the date the complaint was withdrawn")
    reason = _text("Why it was withdrawn", required_message="Enter why the complaint was withdrawn", rows=3)


class ReferOnForm(ActionForm):
    date_fields = ("on",)
    to = _radios("Referred to", ReferredTo.choices, required_message="Choose who the complaint was referred to")
    on = GovukDateField(label="Date referred", required_message="Enter the date the complaint was referred")
    reason = _text("Why it was referred (optional)", rows=3)


class CloseForm(ActionForm):
    date_fields = ("on",)
    on = GovukDateField(label="Date closed", required_message="Enter the date the complaint was closed")


class LearningPlanForm(ActionForm):
    title = forms.CharField(
        label="Title of the action plan",
        max_length=200,
        help_text="The setting sees this title and the complaint reference. Do not include the complainant's "
        "name or the details of the complaint.",
        error_messages={"required": "Enter a title for the plan"},
    )


class ScrutinyForm(ActionForm):
    comment = _text("Scrutiny comment", required_message="Enter your comment", rows=3)


class LegalHoldForm(ActionForm):
    reason = forms.CharField(
        label="Why the complaint is on legal hold",
        max_length=300,
        help_text="While the hold is in place the personal details are not redacted.",
        error_messages={"required": "Enter why the complaint is on legal hold"},
    )


class ReturnResponseForm(ActionForm):
    comment = _text("What needs to change", required_message="Enter what needs to change", rows=3)


class MarkSentForm(ActionForm):
    date_fields = ("on",)
    on = GovukDateField(label="Date the response was sent", required_message="Enter the date the response was sent")


# The formal response ------------------------------------------------------------------------


class ResponseForm(GovukFormMixin, forms.Form):
    findings = _text(
        "Findings",
        help_text="What you found, point by point. Needed before the response can be sent for sign-off.",
        rows=6,
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose an outcome"},
    )
    body = _text(
        "The response",
        help_text="The letter to the complainant. You can upload it as a document instead.",
        rows=20,
    )
    document = forms.FileField(
        label="Upload the response as a document (optional)",
        required=False,
        help_text="A PDF or Word document, smaller than 20 MB. It replaces any document uploaded before.",
        error_messages={
            "invalid": "The selected file could not be uploaded. Try again",
            "missing": "The selected file could not be uploaded. Try again",
            "empty": "The selected file is empty",
        },
    )
    remove_document = forms.BooleanField(label="Remove the uploaded document", required=False)

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_document:
            del self.fields["remove_document"]

    def clean_document(self):
        uploaded = self.cleaned_data.get("document")
        if uploaded:
            evidence_check(uploaded)
        return uploaded
