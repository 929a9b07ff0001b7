"""Forms for accounts and invitations, rendered with GOV.UK Frontend markup.

Any form that mixes in `GovukFormMixin` renders `{{ form }}` through
templates/forms/govuk_form.html and each field through templates/forms/govuk_field.html;
the page's error summary comes from templates/forms/error_summary.html.
"""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting

from portal.models import User
from portal.roles import ROLE_PRECEDENCE, Role


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class GovukFormMixin:
    default_renderer = GovukFormRenderer()
    template_name = "forms/govuk_form.html"


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "The email address or password is not correct",
        "inactive": "This account has been switched off. Contact the safeguarding team to reopen it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "autofocus": False}
        )
        self.fields["username"].error_messages["required"] = "Enter your email address"
        # AuthenticationForm sets max_length after the field is built, so no validator enforces it:
        # an over-long name reached authenticate() and axes' 255-character column (a 500 on PostgreSQL).
        self.fields["username"].validators.append(
            MaxLengthValidator(254, message="Enter an email address of 254 characters or fewer")
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class PortalPasswordResetForm(GovukFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
        self.fields["email"].widget.attrs.pop("autofocus", None)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        # Through the Celery email task like every other message, not inline.
        from portal.services import email_queue

        email_queue(
            to=[to_email],
            subject_template="emails/password_reset_subject.txt",
            body_template="emails/password_reset.txt",
            context={
                "protocol": context["protocol"],
                "domain": context["domain"],
                "uid": context["uid"],
                "token": context["token"],
                "user_name": context["user"].get_short_name() or context["user"].email,
            },
        )


class PortalSetPasswordForm(GovukFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_password_fields(self)


def _style_password_fields(form: forms.Form) -> None:
    form.fields["new_password1"].label = "New password"
    form.fields[
        "new_password1"
    ].help_text = "At least 12 characters. Avoid common words and anything based on your name or email address."
    form.fields["new_password2"].label = "Confirm new password"
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].error_messages["required"] = "Enter the new password again"
    for name in ("new_password1", "new_password2"):
        form.fields[name].widget.attrs.pop("autofocus", None)


class InvitationForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter the person's first name"}, label="First name"
    )
    last_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter the person's last name"}, label="Last name"
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send the invitation to this address. It becomes their sign-in name.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect, error_messages={"required": "Select the person's role"}
    )

    def __init__(self, *args, allowed_roles: frozenset[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in ROLE_PRECEDENCE if r in allowed_roles]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("This person already has an account. They can sign in or reset their password")
        return email


class AcceptInvitationForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(max_length=150, error_messages={"required": "Enter your first name"})
    last_name = forms.CharField(max_length=150, error_messages={"required": "Enter your last name"})
    new_password1 = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False)
    new_password2 = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False)

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        _style_password_fields(self)
        self.fields["new_password1"].label = "Create a password"
        self.fields["new_password2"].label = "Confirm your password"

    def clean(self) -> dict:
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The passwords do not match")
        elif first:
            candidate = User(
                email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned
