"""The account security page, setting up an authenticator app, entering a code at sign-in,
recovery codes, and confirming who you are before changing any of it."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from portal.permissions import is_staff_user, role_required
from portal.two_factor import services
from portal.two_factor.decorators import REAUTHENTICATION_MINUTES, recent_authentication_required
from portal.two_factor.forms import ReauthenticateForm, RecoveryCodeForm, SavedCodesForm, SecurityCodeForm

FEW_RECOVERY_CODES = 3


def safe_next(request, default: str | None = None) -> str:
    """`next` from the form or the query string, if it stays on this site; else the dashboard."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("portal:dashboard")


def _redirect_with_next(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _signed_in(view):
    """Like role_required() but for the pages the two-factor middleware lets through."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


# The account security page -------------------------------------------------------------


@never_cache
@role_required()
def overview(request):
    user = request.user
    device = services.authenticator_for(user)
    staff = is_staff_user(user)
    return render(
        request,
        "portal/two_factor/overview.html",
        {
            "device": device,
            "recovery_remaining": services.recovery_codes_remaining(user) if device else 0,
            "is_staff": staff,
            "can_turn_off": device is not None and not staff,
        },
    )


# Setting up --------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("code")
@_signed_in
def setup(request):
    user = request.user
    next_url = safe_next(request)
    replacing = services.has_two_factor(user)
    if replacing:
        # Replacing the app: only from a session that entered a code, and after confirming again.
        if not user.is_verified():
            services.session_record_enrolment(request=request, user=user)
            return _redirect_with_next("two_factor:verify", request.get_full_path())
        if not services.reauthenticated_within(request, minutes=REAUTHENTICATION_MINUTES):
            return _redirect_with_next("two_factor:reauthenticate", request.get_full_path())
    device = services.pending_authenticator(user)
    form = SecurityCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = services.code_check(user=user, token=form.cleaned_data["code"], device=device)
        if check.accepted:
            codes = services.two_factor_set_up(request=request, user=user, device=check.device)
            request.session[services.NEW_CODES_KEY] = codes
            request.session[services.NEXT_KEY] = next_url
            return redirect("two_factor:recovery_codes")
        form.add_error("code", check.message())
    return render(
        request,
        "portal/two_factor/setup.html",
        {
            "form": form,
            "next": next_url,
            "replacing": replacing,
            "qr_code": services.qr_code_data_uri(device),
            "manual_key": services.manual_key(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@never_cache
@role_required()
def recovery_codes(request):
    """New recovery codes, shown once: they stay in the session only until the person
    confirms they have saved them."""
    codes = request.session.get(services.NEW_CODES_KEY)
    if not codes:
        return redirect("two_factor:overview")
    form = SavedCodesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        request.session.pop(services.NEW_CODES_KEY, None)
        next_url = request.session.pop(services.NEXT_KEY, None) or reverse("two_factor:overview")
        messages.success(request, "Two-factor authentication is on. Keep your recovery codes safe.")
        return HttpResponseRedirect(next_url)
    return render(request, "portal/two_factor/recovery_codes.html", {"form": form, "codes": codes})


# Entering a code at sign-in ---------------------------------------------------------------


def _verify(request, *, recovery: bool):
    user = request.user
    next_url = safe_next(request)
    if services.authenticator_for(user) is None:
        # Nothing to verify (perhaps turned off in another session): the middleware decides
        # whether this person must set up an app first.
        services.session_record_enrolment(request=request, user=user)
        return HttpResponseRedirect(next_url)
    if user.is_verified():
        return HttpResponseRedirect(next_url)
    form_class = RecoveryCodeForm if recovery else SecurityCodeForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = services.code_check(user=user, token=form.cleaned_data["code"], recovery=recovery)
        if check.accepted:
            services.verified_by_code(request=request, user=user, check=check, recovery=recovery)
            if recovery:
                _recovery_code_message(request, check.remaining)
            return HttpResponseRedirect(next_url)
        form.add_error("code", check.message(recovery=recovery))
    template = "portal/two_factor/verify_recovery.html" if recovery else "portal/two_factor/verify.html"
    return render(request, template, {"form": form, "next": next_url})


def _recovery_code_message(request, remaining: int | None) -> None:
    remaining = remaining or 0
    left = (
        "no recovery codes"
        if remaining == 0
        else ("1 recovery code" if remaining == 1 else f"{remaining} recovery codes")
    )
    if remaining <= FEW_RECOVERY_CODES:
        messages.warning(
            request,
            f"You used a recovery code. You have {left} left. Create new ones from your account security page.",
        )
    else:
        messages.success(request, f"You used a recovery code. You have {left} left.")


@never_cache
@sensitive_post_parameters("code")
@_signed_in
def verify(request):
    return _verify(request, recovery=False)


@never_cache
@sensitive_post_parameters("code")
@_signed_in
def verify_recovery(request):
    return _verify(request, recovery=True)


# Confirming who you are, and the changes that need it --------------------------------------


@never_cache
@sensitive_post_parameters("password", "code")
@role_required()
def reauthenticate(request):
    user = request.user
    next_url = safe_next(request, default=reverse("two_factor:overview"))
    with_code = services.has_two_factor(user)
    form = ReauthenticateForm(request.POST if request.method == "POST" else None, request=request, with_code=with_code)
    if request.method == "POST":
        if form.is_valid() and with_code:
            recovery = form.is_recovery_code
            check = services.code_check(user=user, token=form.cleaned_data["code"], recovery=recovery)
            if check.accepted and recovery:
                _recovery_code_message(request, check.remaining)
            elif not check.accepted:
                form.add_error("code", check.message(recovery=recovery))
        if form.is_valid():
            services.session_mark_reauthenticated(request)
            services.log(user, "portal.two_factor.reauthenticate", user=user)
            return HttpResponseRedirect(next_url)
        services.log(user, "portal.two_factor.reauthenticate_failed", user=user)
    return render(
        request,
        "portal/two_factor/reauthenticate.html",
        {"form": form, "next": next_url, "minutes": REAUTHENTICATION_MINUTES},
    )


@never_cache
@role_required()
@recent_authentication_required()
def regenerate(request):
    user = request.user
    if not services.has_two_factor(user):
        return redirect("two_factor:overview")
    if request.method == "POST":
        request.session[services.NEW_CODES_KEY] = services.recovery_codes_regenerate(user=user)
        request.session[services.NEXT_KEY] = reverse("two_factor:overview")
        return redirect("two_factor:recovery_codes")
    return render(
        request,
        "portal/two_factor/regenerate.html",
        {"recovery_remaining": services.recovery_codes_remaining(user)},
    )


def _not_staff(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_staff_user(request.user):
            raise PermissionDenied("Council staff must use two-factor authentication")
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@role_required()
@_not_staff
@recent_authentication_required()
def disable(request):
    user = request.user
    if not services.has_two_factor(user):
        return redirect("two_factor:overview")
    if request.method == "POST":
        try:
            services.two_factor_disable(request=request, user=user)
        except services.StaffMustUseTwoFactor as error:
            raise PermissionDenied from error
        messages.success(
            request, "Two-factor authentication is off. You will not be asked for a code when you sign in."
        )
        return redirect("two_factor:overview")
    return render(request, "portal/two_factor/disable.html", {})
