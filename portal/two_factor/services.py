"""Two-factor authentication: devices, codes, throttling and the session state that says
who has entered a code. Every change is written to Wagtail's log on the user.

django-otp does the cryptography and keeps the per-device throttle (an exponential
back-off after each wrong code: 1, 2, 4, 8 … seconds, stored on the device). On top of it
the portal refuses any code for a while after `MAX_FAILED_CODES` wrong ones in a row, so a
stolen password cannot be followed by guessing codes: the count lives on the device, so
signing in again does not reset it; only a correct code does.
https://django-otp-official.readthedocs.io/en/stable/overview.html#django_otp.models.ThrottlingMixin
"""

import base64
import datetime
import io
import time
from dataclasses import dataclass
from enum import Enum

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log as wagtail_log

from portal.permissions import is_staff_user
from portal.two_factor import log_actions  # noqa: F401  (registers the log actions)

RECOVERY_CODE_COUNT = 10
MAX_FAILED_CODES = 5
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

# Session keys. The device that verified the session is django-otp's own key.
ENROLMENT_KEY = "portal_two_factor_enrolment"  # {"user": pk, "enrolled": bool}, a cache of has_two_factor
REAUTHENTICATED_AT_KEY = "portal_reauthenticated_at"  # Unix time of the last password (and code) check
NEW_CODES_KEY = "portal_two_factor_new_codes"  # recovery codes to show once
NEXT_KEY = "portal_two_factor_next"  # where to go after the codes are saved


def lockout_duration() -> datetime.timedelta:
    """The wait after too many wrong codes: the same as after too many wrong passwords."""
    return datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)


def _unwrap(user):
    """The User itself. django-otp's middleware wraps request.user in a second lazy object,
    and Wagtail's log() unwraps only one level: given request.user it silently logs nothing."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def log(subject, action: str, **kwargs) -> None:
    """An entry in Wagtail's log on the person's own record."""
    subject = _unwrap(subject)
    kwargs["user"] = _unwrap(kwargs.get("user", subject))
    wagtail_log(subject, action, **kwargs)


# Devices ---------------------------------------------------------------------------


def authenticator_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def recovery_device_for(user) -> StaticDevice | None:
    if not user.is_authenticated:
        return None
    return StaticDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def has_two_factor(user) -> bool:
    return authenticator_for(user) is not None


def two_factor_required(user) -> bool:
    """Staff must use two-factor authentication (while it is enforced); anyone who has set
    it up must use it."""
    if settings.PORTAL_TWO_FACTOR_ENFORCED and is_staff_user(user):
        return True
    return has_two_factor(user)


def recovery_codes_remaining(user) -> int:
    device = recovery_device_for(user)
    return device.token_set.count() if device else 0


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed device being set up, made once so the secret stays the same when the
    set-up page is reloaded."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (the CSP allows data: images)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}" if len(token) == 8 else token


def normalise_recovery_code(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())


# Checking codes ----------------------------------------------------------------------


class Outcome(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    WAIT = "wait"  # django-otp's short back-off after a wrong code
    LOCKED = "locked"  # too many wrong codes in a row


@dataclass(frozen=True)
class CodeCheck:
    outcome: Outcome
    device: TOTPDevice | StaticDevice | None = None
    until: datetime.datetime | None = None
    remaining: int | None = None  # recovery codes left, after using one

    @property
    def accepted(self) -> bool:
        return self.outcome is Outcome.ACCEPTED

    def message(self, *, recovery: bool = False) -> str:
        if self.outcome is Outcome.WRONG:
            if recovery:
                return "The recovery code is not correct. Check it and try again"
            return "The security code is not correct. Enter the code your authenticator app shows now"
        seconds = max(1, int((self.until - timezone.now()).total_seconds() + 0.999)) if self.until else 1
        if self.outcome is Outcome.WAIT:
            return f"You entered a wrong code. Wait {_duration(seconds)} before you try again"
        if self.outcome is Outcome.LOCKED:
            return (
                f"You have entered too many wrong codes, so we have stopped accepting codes for now. "
                f"Try again in {_duration(seconds)}"
            )
        return ""


def _duration(seconds: int) -> str:
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = (seconds + 59) // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _wait_until(device) -> tuple[Outcome, datetime.datetime] | None:
    if device.throttling_failure_count >= MAX_FAILED_CODES and device.throttling_failure_timestamp:
        until = device.throttling_failure_timestamp + lockout_duration()
        if timezone.now() < until:
            return Outcome.LOCKED, until
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return Outcome.WAIT, (info or {}).get("locked_until") or timezone.now()
    return None


def code_check(*, user, token: str, recovery: bool = False, device=None) -> CodeCheck:
    """Check a code against the user's authenticator app (or, with `recovery`, their
    recovery codes: a used one is deleted). `device` checks an unconfirmed authenticator
    being set up. Row-locked so two requests cannot both use one code."""
    if device is None:
        device = recovery_device_for(user) if recovery else authenticator_for(user)
    if device is None:
        return CodeCheck(Outcome.WRONG)
    model = type(device)
    with transaction.atomic():
        device = model.objects.select_for_update().get(pk=device.pk)
        waiting = _wait_until(device)
        if waiting:
            outcome, until = waiting
            return CodeCheck(outcome, device=device, until=until)
        if device.verify_token(normalise_recovery_code(token) if recovery else token.strip()):
            remaining = device.token_set.count() if recovery else None
            return CodeCheck(Outcome.ACCEPTED, device=device, remaining=remaining)
    log(user, "portal.two_factor.code_wrong", user=user, data={"recovery_code": recovery})
    if device.throttling_failure_count >= MAX_FAILED_CODES:
        log(user, "portal.two_factor.codes_locked", user=user, data={"recovery_code": recovery})
        return CodeCheck(Outcome.LOCKED, device=device, until=device.throttling_failure_timestamp + lockout_duration())
    return CodeCheck(Outcome.WRONG, device=device)


# The session -------------------------------------------------------------------------


def session_enrolment(request) -> bool | None:
    """Whether this session's user has two-factor set up, as last recorded in the session
    (None if not recorded): the middleware then needs no query on every request."""
    record = request.session.get(ENROLMENT_KEY)
    if isinstance(record, dict) and record.get("user") == request.user.pk:
        return bool(record.get("enrolled"))
    return None


def session_record_enrolment(*, request, user) -> bool:
    enrolled = has_two_factor(user)
    request.session[ENROLMENT_KEY] = {"user": user.pk, "enrolled": enrolled}
    return enrolled


def session_verify(*, request, device) -> None:
    """Mark the session as verified by `device` (django-otp keeps it in the session)."""
    django_otp.login(request, device)


def session_mark_reauthenticated(request) -> None:
    request.session[REAUTHENTICATED_AT_KEY] = time.time()


def reauthenticated_within(request, *, minutes: int) -> bool:
    at = request.session.get(REAUTHENTICATED_AT_KEY)
    if not isinstance(at, int | float):
        return False
    return 0 <= time.time() - at <= minutes * 60


# Changes -----------------------------------------------------------------------------


def recovery_codes_create(*, user) -> list[str]:
    """Ten new single-use recovery codes; any older ones stop working."""
    with transaction.atomic():
        device = recovery_device_for(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        device.token_set.all().delete()
        device.throttle_reset()
        tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in tokens)
    return [format_recovery_code(token) for token in tokens]


def two_factor_set_up(*, request, user, device: TOTPDevice) -> list[str]:
    """Confirm the authenticator the user has just proved they hold, replace any earlier
    one, create fresh recovery codes and mark the session verified."""
    with transaction.atomic():
        replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
        replaced = replacing.exists()
        replacing.delete()
        device.confirmed = True
        device.name = AUTHENTICATOR_NAME
        device.save()
        codes = recovery_codes_create(user=user)
        log(user, "portal.two_factor.replace" if replaced else "portal.two_factor.set_up", user=user)
    session_verify(request=request, device=device)
    request.session[ENROLMENT_KEY] = {"user": user.pk, "enrolled": True}
    return codes


def recovery_codes_regenerate(*, user) -> list[str]:
    codes = recovery_codes_create(user=user)
    log(user, "portal.two_factor.recovery_codes_regenerate", user=user)
    return codes


class StaffMustUseTwoFactor(Exception):
    """Council staff cannot turn two-factor authentication off."""


def two_factor_disable(*, request, user) -> None:
    if is_staff_user(user):
        raise StaffMustUseTwoFactor
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        log(user, "portal.two_factor.disable", user=user)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session[ENROLMENT_KEY] = {"user": user.pk, "enrolled": False}


def verified_by_code(*, request, user, check: CodeCheck, recovery: bool) -> None:
    session_verify(request=request, device=check.device)
    log(
        user,
        "portal.two_factor.recovery_code_used" if recovery else "portal.two_factor.verify",
        user=user,
        data={"remaining": check.remaining} if recovery else {},
    )
