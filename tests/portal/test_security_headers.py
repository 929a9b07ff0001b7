"""The Content-Security-Policy and the other security headers on every kind of page."""

import pytest
from django.urls import reverse

from portal.roles import Role


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", reverse("portal:sign_in"), reverse("portal:healthz"), "/no-such-page/"])
def test_public_pages_run_under_the_strict_policy(client, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_signed_in_portal_pages_run_under_the_strict_policy(client, user_for_role):
    client.force_login(user_for_role(Role.QA_MANAGER))
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_allows_inline_styles_but_never_inline_scripts(client, user_for_role):
    client.force_login(user_for_role(Role.EDITOR))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]


PDF_TEMPLATES = {"report_pdf.html", "pack_pdf.html", "certificate.html"}


def test_no_template_has_an_inline_script_style_or_event_handler():
    """The policy refuses inline script, so a template that adds one would break in the browser."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    templates = [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]
    assert len(templates) > 100
    for template in templates:
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.relative_to(root)}: {tag}")
        if re.search(r"\son(click|load|change|submit|input)=", text):
            offenders.append(f"{template.relative_to(root)}: inline event handler")
        # Inline styles are refused too, except in the templates WeasyPrint turns into PDFs.
        if template.name not in PDF_TEMPLATES and re.search(r"<style\b|\sstyle=", text):
            offenders.append(f"{template.relative_to(root)}: inline style")
    assert not offenders, "\n".join(offenders)
