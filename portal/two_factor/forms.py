"""Forms for two-factor authentication, in GOV.UK style (portal.forms.GovukFormMixin).
The forms check the shape of what was typed; whether a code is right is the services' job."""

import re

from django import forms
from django.contrib.auth import authenticate

from portal.forms import GovukFormMixin
from portal.two_factor.services import normalise_recovery_code

SIX_DIGITS = re.compile(r"^\d{6}$")


def _security_code_field(label: str = "Security code") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text="The 6-digit code shown in your authenticator app",
        max_length=20,
        error_messages={"required": "Enter the 6-digit security code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )


def _clean_six_digits(value: str) -> str:
    code = re.sub(r"[\s-]", "", value or "")
    if not SIX_DIGITS.match(code):
        raise forms.ValidationError("Enter the security code as 6 digits, like 123456")
    return code


class SecurityCodeForm(GovukFormMixin, forms.Form):
    """A code from the authenticator app: at sign-in, and to confirm a new app."""

    code = _security_code_field()

    def clean_code(self) -> str:
        return _clean_six_digits(self.cleaned_data["code"])


class RecoveryCodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 codes you saved when you set up two-factor authentication, like abcd-2345",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_recovery_code(self.cleaned_data["code"])
        if len(code) != 8:
            raise forms.ValidationError("Enter the recovery code as 8 letters and numbers, like abcd-2345")
        return code


class SavedCodesForm(GovukFormMixin, forms.Form):
    saved = forms.BooleanField(
        label="I have saved my recovery codes somewhere safe",
        error_messages={"required": "Confirm that you have saved your recovery codes"},
    )


class ReauthenticateForm(GovukFormMixin, forms.Form):
    """Password again, and a code from the app or a recovery code for people who use
    two-factor authentication. Wrong passwords go through authenticate(), so django-axes
    counts them like wrong passwords at sign-in."""

    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Security code or recovery code",
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes",
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )

    def __init__(self, *args, request, with_code: bool, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"].required = True
            self.fields["code"].error_messages["required"] = "Enter a security code or one of your recovery codes"
        else:
            del self.fields["code"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError("The password is not correct")
        return password

    def clean_code(self) -> str:
        value = re.sub(r"[\s-]", "", self.cleaned_data.get("code") or "")
        if SIX_DIGITS.match(value):
            return value
        code = normalise_recovery_code(value)
        if len(code) != 8:
            raise forms.ValidationError("Enter a 6-digit security code, or a recovery code like abcd-2345")
        return code

    @property
    def is_recovery_code(self) -> bool:
        return not SIX_DIGITS.match(self.cleaned_data.get("code", ""))
