"""Forms for booking, evaluation and attendance, rendered with GOV.UK Frontend markup
(portal.forms.GovukFormMixin). They only check what was typed; the rules live in
learning_hub.booking."""

from django import forms

from portal.forms import GovukFormMixin


class BookingForm(GovukFormMixin, forms.Form):
    attendee_name = forms.CharField(
        label="Full name of the person attending",
        max_length=200,
        error_messages={"required": "Enter the full name of the person attending"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    attendee_email = forms.EmailField(
        label="Their email address",
        help_text="We send the confirmation, joining details and reminder here, and a copy to you.",
        error_messages={
            "required": "Enter the email address of the person attending",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organisation = forms.CharField(
        label="School or setting they work at",
        max_length=200,
        error_messages={"required": "Enter the school or setting the person attending works at"},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    # Set by the "Join the waiting list" button when the session is full.
    join_waiting_list = forms.BooleanField(required=False, widget=forms.HiddenInput)


RATING_CHOICES = [
    (5, "5 – Excellent"),
    (4, "4 – Good"),
    (3, "3 – Satisfactory"),
    (2, "2 – Poor"),
    (1, "1 – Very poor"),
]


class EvaluationForm(GovukFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="Overall, how would you rate the session?",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5", "invalid_choice": "Choose a rating from 1 to 5"},
    )
    most_useful = forms.CharField(
        label="What did you find most useful?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what you found most useful"},
    )
    will_change = forms.CharField(
        label="What will you do differently in your setting as a result?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what you will do differently"},
    )
    comments = forms.CharField(
        label="Any other comments (optional)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    """One row of the register: which booking, and whether they came."""

    booking = forms.IntegerField(widget=forms.HiddenInput)
    attended = forms.TypedChoiceField(choices=[("yes", "Attended"), ("no", "Absent")], coerce=lambda v: v == "yes")
