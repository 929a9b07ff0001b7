"""Two-factor authentication (TOTP with recovery codes, via django-otp): required of staff,
open to school and AP users, and re-authentication before security-sensitive changes.

`middleware.TwoFactorMiddleware` sends people who must enter a code to set up or verify;
`decorators.recent_authentication_required` guards changes; `services` does the work."""
