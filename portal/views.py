"""Accounts, invitations, dashboards and error pages. Views check access through
`portal.permissions` and change things only through `portal.services`."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from portal import services
from portal.dashboards import ROLE_HOMES, dashboard_panels
from portal.forms import (
    AcceptInvitationForm,
    InvitationForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    SignInForm,
)
from portal.permissions import invitable_roles, primary_role, role_required, user_roles
from portal.roles import INVITABLE_BY, Role
from portal.selectors import invitations_visible_to
from portal.two_factor.services import session_record_enrolment

INVITERS = tuple(INVITABLE_BY)

# Sign-in, sign-out and password reset -----------------------------------------


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Note in the session whether this person must enter a code (portal/two_factor/).
        session_record_enrolment(request=self.request, user=form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    pass


def signed_out(request):
    return render(request, "registration/signed_out.html", {"timed_out": request.GET.get("reason") == "timeout"})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("portal:password_reset_sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PortalSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@require_POST
@role_required()
def session_extend(request):
    """'Stay signed in': any authenticated request renews the session
    (SESSION_SAVE_EVERY_REQUEST); this one does nothing else."""
    request.session["last_extended"] = True
    return HttpResponse(status=204)


# Dashboards -------------------------------------------------------------------


@role_required()
def dashboard(request):
    role = primary_role(request.user)
    if role is None:
        return render(request, "portal/dashboard_no_role.html", status=200)
    home = ROLE_HOMES[role]
    other_roles = [r for r in user_roles(request.user) if r != role]
    return render(
        request,
        "portal/dashboard.html",
        {
            "home": home,
            "role": role,
            "other_roles": other_roles,
            "panels": [
                {"panel": panel, "context": panel.get_context(request, role)}
                for panel in dashboard_panels(request, role)
            ],
            "can_invite": bool(invitable_roles(request.user)),
        },
    )


# Invitations ------------------------------------------------------------------


@role_required(*INVITERS)
def invitation_list(request):
    invitations = invitations_visible_to(request.user)
    page = Paginator(invitations, 25).get_page(request.GET.get("page"))
    return render(request, "portal/invitation_list.html", {"page": page, "invitations": page.object_list})


@role_required(*INVITERS)
def invitation_create(request):
    allowed = invitable_roles(request.user)
    form = InvitationForm(request.POST if request.method == "POST" else None, allowed_roles=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                inviter=request.user,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                role=Role(form.cleaned_data["role"]),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}")
            return redirect("portal:invitation_list")
    return render(request, "portal/invitation_form.html", {"form": form})


@require_POST
@role_required(*INVITERS)
def invitation_withdraw(request, pk: int):
    invitation = get_object_or_404(invitations_visible_to(request.user), pk=pk)
    try:
        services.invitation_withdraw(invitation=invitation, user=request.user)
    except services.InvitationNotUsable as error:
        messages.error(request, f"This invitation cannot be withdrawn: it is {error.state.label.lower()}.")
    else:
        messages.success(request, f"Invitation for {invitation.email} withdrawn")
    return redirect("portal:invitation_list")


def invitation_accept(request, token: str):
    invitation = services.invitation_find(token=token)
    if invitation is None:
        return render(request, "portal/invitation_unusable.html", {"reason": "unknown"}, status=404)
    if not invitation.is_usable:
        return render(
            request,
            "portal/invitation_unusable.html",
            {"reason": invitation.state.value, "invitation": invitation},
            status=410,
        )
    if request.user.is_authenticated:
        return render(request, "portal/invitation_unusable.html", {"reason": "signed_in"}, status=409)
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["new_password1"],
            )
        except services.InvitationNotUsable as error:
            return render(request, "portal/invitation_unusable.html", {"reason": error.state.value}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your account is ready. You are signed in.")
        return redirect("portal:dashboard")
    return render(request, "portal/invitation_accept.html", {"form": form, "invitation": invitation})


# Error pages --------------------------------------------------------------------


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors here: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
