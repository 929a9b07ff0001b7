"""Wagtail admin screens for the settings register and the questionnaires (Wagtail's own
viewsets; see STYLE.md). Registration happens in `wagtail_hooks.py`; writes that change a
state (publish, copy forward, import) go through the services.

Who may do what is decided by the permission policies below, from the portal's roles:
the data migration grants no model permissions on these models, and a role is the
project's one notion of access (portal.permissions).
"""

import io
from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseOperationView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr
from wagtail.permissions import policy_registry
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.views import permission_denied
from portal.viewsets import RolePermissionPolicy
from schools.filters import (
    MembershipFilterSet,
    OfstedInspectionFilterSet,
    QuestionFilterSet,
    QuestionnaireFilterSet,
    SettingFilterSet,
)
from schools.imports import GIAS_UPLOAD_MAX_BYTES, can_import_settings, settings_import_gias
from schools.models import (
    Membership,
    OfstedInspection,
    Question,
    Questionnaire,
    Section,
    Setting,
    SettingKind,
    TrustMembership,
)
from schools.models.questionnaires import PUBLISHED_IS_FROZEN
from schools.services_questionnaires import (
    academic_year_validate,
    can_manage_questionnaires,
    questionnaire_copy_to_next_year,
    questionnaire_publish,
)

# Permission policies ---------------------------------------------------------------------


def questionnaire_of(instance) -> Questionnaire | None:
    if isinstance(instance, Questionnaire):
        return instance
    if isinstance(instance, Section):
        return instance.questionnaire
    if isinstance(instance, Question):
        return instance.section.questionnaire
    return None


def is_frozen(instance) -> bool:
    questionnaire = questionnaire_of(instance)
    return questionnaire is not None and not questionnaire.is_editable


class QuestionnairePermissionPolicy(RolePermissionPolicy):
    """A published or retired questionnaire, its sections and questions cannot change: the
    returns made against it must stay readable against the questions they answered. Asking
    the policy per instance also covers the snippets' bulk delete."""

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        if action in {"change", "delete"} and is_frozen(instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


# URL namespaces: the ModelViewSets' `name`s below, and Wagtail's for snippets.
SETTING_URLS = "schools_setting"
OFSTED_INSPECTION_URLS = "schools_ofstedinspection"
QUESTIONNAIRE_URLS = "wagtailsnippets_schools_questionnaire"
QUESTION_URLS = "wagtailsnippets_schools_question"


def _questionnaire_inspect_url(questionnaire: Questionnaire) -> str:
    return reverse(f"{QUESTIONNAIRE_URLS}:inspect", args=[questionnaire.pk])


class FrozenQuestionnaireGuardMixin:
    """Edit and delete views: send people back from a frozen questionnaire with the reason,
    rather than a bare 403. Runs after the role check, before Wagtail's own hooks."""

    def run_before_hook(self):
        questionnaire = questionnaire_of(self.object)
        if questionnaire is not None and not questionnaire.is_editable:
            messages.error(self.request, PUBLISHED_IS_FROZEN)
            return redirect(_questionnaire_inspect_url(questionnaire))
        return super().run_before_hook()


class ProtectedDeleteMixin:
    """A record that returns or answers point at cannot go (PROTECT): say so instead of failing.
    Wagtail's usage check only knows models in its reference index, and these are not."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            advice = " Mark it as not open instead." if isinstance(self.object, Setting) else ""
            messages.error(self.request, f"“{self.object}” cannot be deleted: audit records refer to it.{advice}")
            return redirect(self.get_success_url())


class FrozenAwareIndexMixin:
    """Listings offer no edit or delete for frozen items; the title links to inspect instead."""

    def get_edit_url(self, instance):
        return None if is_frozen(instance) else super().get_edit_url(instance)

    def get_delete_url(self, instance):
        return None if is_frozen(instance) else super().get_delete_url(instance)


# Settings register ---------------------------------------------------------------------


def latest_ofsted_summary(setting: Setting) -> str:
    inspection = setting.latest_inspection
    if inspection is None:
        return "None recorded"
    outcome = inspection.get_overall_effectiveness_display() or inspection.get_report_card_safeguarding_display()
    summary = f"{inspection.inspected_on:%d %b %Y}" + (f": {outcome}" if outcome else "")
    return f"{summary} (safeguarding concern)" if inspection.safeguarding_concern else summary


def _latest(attribute: str):
    def value(setting: Setting):
        inspection = setting.latest_inspection
        return getattr(inspection, attribute) if inspection else None

    return value


class SettingForm(WagtailAdminModelForm):
    def clean_urn(self) -> str:
        urn = (self.cleaned_data.get("urn") or "").strip()
        if not (urn.isdigit() and 6 <= len(urn) <= 7):
            raise ValidationError("Enter the DfE URN: 6 or 7 digits.")
        return urn


class SettingIndexView(generic.IndexView):
    # Export columns computed from the latest inspection (prefetched, so no query per row).
    computed_exports = {
        "latest_ofsted_date": _latest("inspected_on"),
        "latest_ofsted_overall": lambda s: (
            s.latest_inspection.get_overall_effectiveness_display() if s.latest_inspection else ""
        ),
        "latest_ofsted_safeguarding_concern": _latest("safeguarding_concern"),
    }

    def to_row_dict(self, item):
        return OrderedDict(
            (name, self.computed_exports[name](item) if name in self.computed_exports else multigetattr(item, name))
            for name in self.list_export
        )


class SettingDeleteView(ProtectedDeleteMixin, generic.DeleteView):
    pass


class SettingInspectView(generic.InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["inspections"] = self.object.inspections.order_by("-inspected_on")
        context["memberships"] = self.object.memberships.select_related("user").order_by("role")
        context["inspection_add_url"] = reverse(f"{OFSTED_INSPECTION_URLS}:add")
        context["inspection_list_url"] = reverse(f"{OFSTED_INSPECTION_URLS}:index") + f"?setting={self.object.pk}"
        context["inspection_edit_url_name"] = f"{OFSTED_INSPECTION_URLS}:edit"
        context["can_record_inspection"] = policy_registry.get_by_type(OfstedInspection).user_has_permission(
            self.request.user, "add"
        )
        return context


class SettingViewSet(ModelViewSet):
    model = Setting
    name = SETTING_URLS
    url_prefix = "register/settings"
    icon = "site"
    menu_label = "Settings"
    index_view_class = SettingIndexView
    delete_view_class = SettingDeleteView
    inspect_view_class = SettingInspectView
    inspect_view_enabled = True
    inspect_template_name = "schools/admin/setting_inspect.html"
    copy_view_enabled = False
    list_display = [
        "name",
        "urn",
        "kind",
        "phase",
        "locality",
        "trust_name",
        Column("latest_ofsted", label="Latest Ofsted", accessor=latest_ofsted_summary),
        BooleanColumn("is_open", label="Open"),
    ]
    filterset_class = SettingFilterSet
    # The database, not Wagtail search: imported settings are bulk-written, and a URN or
    # postcode fragment should match as typed.
    search_fields = ["name", "urn", "town", "postcode", "trust_name", "headteacher_name"]
    search_backend_name = None
    ordering = ["name"]
    list_per_page = 50
    list_export = [
        "urn",
        "name",
        "get_kind_display",
        "get_phase_display",
        "locality",
        "trust_name",
        "la_establishment_number",
        "street",
        "town",
        "postcode",
        "headteacher_name",
        "dsl_name",
        "dsl_email",
        "is_open",
        "on_ap_framework",
        "latest_ofsted_date",
        "latest_ofsted_overall",
        "latest_ofsted_safeguarding_concern",
    ]
    export_headings = {
        "urn": "URN",
        "get_kind_display": "Kind",
        "get_phase_display": "Phase",
        "latest_ofsted_date": "Latest Ofsted inspection",
        "latest_ofsted_overall": "Latest Ofsted overall effectiveness",
        "latest_ofsted_safeguarding_concern": "Latest Ofsted safeguarding concern",
    }
    export_filename = "settings-register"
    inspect_view_fields = [
        "name",
        "urn",
        "la_establishment_number",
        "kind",
        "phase",
        "locality",
        "trust_name",
        "street",
        "town",
        "postcode",
        "headteacher_name",
        "dsl_name",
        "dsl_email",
        "is_open",
        "on_ap_framework",
        "ap_framework_from",
        "ap_framework_to",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("urn"),
                    FieldPanel("la_establishment_number"),
                    FieldPanel("kind"),
                    FieldPanel("phase"),
                    FieldPanel("is_open"),
                ],
                heading="Establishment",
            ),
            MultiFieldPanel([FieldPanel("locality"), FieldPanel("trust_name")], heading="Locality and trust"),
            MultiFieldPanel([FieldPanel("street"), FieldPanel("town"), FieldPanel("postcode")], heading="Address"),
            MultiFieldPanel(
                [FieldPanel("headteacher_name"), FieldPanel("dsl_name"), FieldPanel("dsl_email")], heading="People"
            ),
            MultiFieldPanel(
                [FieldPanel("on_ap_framework"), FieldPanel("ap_framework_from"), FieldPanel("ap_framework_to")],
                heading="Alternative provision framework",
            ),
        ],
        base_form_class=SettingForm,
    )

    def get_index_view_kwargs(self, **kwargs):
        # Latest Ofsted comes from the prefetch, so a page costs the same queries for 5 rows or 50.
        return super().get_index_view_kwargs(queryset=Setting.objects.prefetch_related("inspections"), **kwargs)


class OfstedInspectionViewSet(ModelViewSet):
    model = OfstedInspection
    name = OFSTED_INSPECTION_URLS
    url_prefix = "register/ofsted-inspections"
    icon = "tasks"
    menu_label = "Ofsted inspections"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "setting",
        DateColumn("inspected_on", label="Inspected", sort_key="inspected_on"),
        "overall_effectiveness",
        "safeguarding_effective",
        "report_card_safeguarding",
        BooleanColumn("safeguarding_concern", label="Safeguarding concern"),
    ]
    filterset_class = OfstedInspectionFilterSet
    search_fields = ["setting__name", "setting__urn"]
    search_backend_name = None
    ordering = ["-inspected_on"]
    list_export = [
        "setting.urn",
        "setting.name",
        "inspected_on",
        "get_overall_effectiveness_display",
        "safeguarding_effective",
        "get_report_card_safeguarding_display",
        "safeguarding_concern",
        "report_url",
    ]
    export_headings = {
        "setting.urn": "URN",
        "setting.name": "Setting",
        "get_overall_effectiveness_display": "Overall effectiveness",
        "get_report_card_safeguarding_display": "Report card: safeguarding",
        "safeguarding_concern": "Safeguarding concern",
    }
    export_filename = "ofsted-inspections"
    panels = [
        FieldPanel("setting"),
        FieldPanel("inspected_on"),
        MultiFieldPanel(
            [FieldPanel("overall_effectiveness"), FieldPanel("safeguarding_effective")],
            heading="Graded inspection (before November 2025)",
        ),
        MultiFieldPanel([FieldPanel("report_card_safeguarding")], heading="Report card (since November 2025)"),
        FieldPanel("report_url"),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=OfstedInspection.objects.select_related("setting"), **kwargs)


class MembershipViewSet(ModelViewSet):
    model = Membership
    name = "schools_membership"
    url_prefix = "register/memberships"
    icon = "group"
    menu_label = "Memberships"
    copy_view_enabled = False
    list_display = ["user", "setting", "role", BooleanColumn("user.is_active", label="Account active")]
    filterset_class = MembershipFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name", "setting__name", "setting__urn"]
    ordering = ["setting__name", "role"]
    list_export = ["user.email", "user.get_full_name", "setting.urn", "setting.name", "get_role_display"]
    export_headings = {
        "user.email": "Email",
        "user.get_full_name": "Name",
        "setting.urn": "URN",
        "setting.name": "Setting",
        "get_role_display": "Role",
    }
    export_filename = "setting-memberships"
    panels = [FieldPanel("user"), FieldPanel("setting"), FieldPanel("role")]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=Membership.objects.select_related("user", "setting"), **kwargs)


class TrustMembershipViewSet(ModelViewSet):
    model = TrustMembership
    name = "schools_trustmembership"
    url_prefix = "register/trust-memberships"
    icon = "user"
    menu_label = "Trust memberships"
    copy_view_enabled = False
    list_display = ["user", "trust_name", BooleanColumn("user.is_active", label="Account active")]
    list_filter = ["trust_name"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "trust_name"]
    ordering = ["trust_name", "user__email"]
    list_export = ["user.email", "user.get_full_name", "trust_name"]
    export_headings = {"user.email": "Email", "user.get_full_name": "Name", "trust_name": "Multi-academy trust"}
    export_filename = "trust-memberships"
    panels = [FieldPanel("user"), FieldPanel("trust_name")]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=TrustMembership.objects.select_related("user"), **kwargs)


# GIAS import -------------------------------------------------------------------------------


class GiasUploadForm(forms.Form):
    csv_file = forms.FileField(
        label="GIAS extract (CSV)",
        help_text=(
            "A CSV with the columns of the Get Information About Schools download, saved as UTF-8 "
            f"(in Excel: “CSV UTF-8”), at most {GIAS_UPLOAD_MAX_BYTES // (1024 * 1024)} MB. "
            "An optional Locality column sets each setting's locality."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("Choose a CSV file: its name should end in .csv.")
        if upload.size > GIAS_UPLOAD_MAX_BYTES:
            raise ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
                f"{GIAS_UPLOAD_MAX_BYTES // (1024 * 1024)} MB. Export only this local authority's establishments."
            )
        raw = upload.read()
        try:
            # utf-8-sig drops the byte-order mark Excel writes at the start of "CSV UTF-8".
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            # GIAS's own download and Excel's plain "CSV" are Windows-1252; UTF-16 (NUL bytes) is not.
            if b"\x00" in raw:
                raise ValidationError(
                    "The file is not UTF-8 text. Open it in Excel and save it as “CSV UTF-8 (Comma delimited)”."
                ) from error
            text = raw.decode("cp1252", errors="replace")
        if "\x00" in text:
            raise ValidationError("The file is not a text CSV (it contains binary data).")
        self.text = text
        return upload


class GiasImportView(WagtailAdminTemplateMixin, FormView):
    form_class = GiasUploadForm
    template_name = "schools/admin/gias_import.html"
    page_title = "Import from GIAS"
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_import_settings(request.user):
            # The site's 403 page: Wagtail would turn PermissionDenied into a redirect home.
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["settings_url"] = reverse(f"{SETTING_URLS}:index")
        return context

    def form_valid(self, form: GiasUploadForm) -> HttpResponse:
        try:
            report = settings_import_gias(csv_file=io.StringIO(form.text, newline=""), user=self.request.user)
        except ValidationError as error:
            form.add_error("csv_file", error)
            return self.form_invalid(form)
        messages.success(self.request, f"Imported {form.cleaned_data['csv_file'].name}: {report.summary()}.")
        # The report is shown once, not stored; importing the same file again changes nothing.
        return self.render_to_response(self.get_context_data(form=self.form_class(), report=report))


class GiasImportViewSet(ViewSet):
    name = "schools_gias_import"
    url_prefix = "register/import-gias"
    icon = "upload"
    menu_label = "Import from GIAS"

    def get_urlpatterns(self):
        return [path("", GiasImportView.as_view(), name="upload")]

    @cached_property
    def menu_item_class(self):
        return type(
            "GiasImportMenuItem",
            (MenuItem,),
            {"is_shown": lambda item, request: can_import_settings(request.user)},
        )


class SettingsRegisterViewSetGroup(ViewSetGroup):
    items = (SettingViewSet, OfstedInspectionViewSet, MembershipViewSet, TrustMembershipViewSet, GiasImportViewSet)
    menu_label = "Settings register"
    menu_icon = "site"
    menu_name = "settings-register"


# Questionnaires ------------------------------------------------------------------------------


class QuestionnaireForm(WagtailAdminModelForm):
    def clean_academic_year(self) -> str:
        value = (self.cleaned_data.get("academic_year") or "").strip()
        academic_year_validate(value)  # copying forward a year needs to read it
        return value


class QuestionForm(WagtailAdminModelForm):
    setting_kinds = forms.MultipleChoiceField(
        label="Kinds of setting",
        choices=SettingKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ask only these kinds of setting; choose none to ask every kind.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if section := self.fields.get("section"):
            # Questions can only be added to, or moved into, a draft.
            section.queryset = (
                Section.objects.filter(questionnaire__status=Questionnaire.Status.DRAFT)
                .select_related("questionnaire")
                .order_by("-questionnaire__academic_year", "questionnaire__kind", "sort_order")
            )
            section.label_from_instance = lambda s: f"{s.questionnaire.title} ({s.questionnaire.academic_year}): {s}"
            section.help_text = "Only sections of draft questionnaires: a published questionnaire cannot change."

    def save(self, commit: bool = True):
        question = super().save(commit=False)
        if question.sort_order is None and question.section_id:
            # Last in its section (Wagtail's own default numbers across every question).
            highest = Question.objects.filter(section_id=question.section_id).aggregate(top=Max("sort_order"))["top"]
            question.sort_order = (highest if highest is not None else -1) + 1
        if commit:
            question.save()
            self.save_m2m()
        return question


class QuestionnaireIndexView(FrozenAwareIndexMixin, snippet_views.IndexView):
    pass


class QuestionnaireEditView(FrozenQuestionnaireGuardMixin, snippet_views.EditView):
    pass


class QuestionnaireDeleteView(FrozenQuestionnaireGuardMixin, ProtectedDeleteMixin, snippet_views.DeleteView):
    pass


class QuestionnaireInspectView(snippet_views.InspectView):
    def get_edit_url(self):
        return None if is_frozen(self.object) else super().get_edit_url()

    def get_delete_url(self):
        return None if is_frozen(self.object) else super().get_delete_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may_manage = can_manage_questionnaires(self.request.user)
        context.update(
            sections=self.object.sections.order_by("sort_order").prefetch_related("questions"),
            copies=self.object.copies.order_by("-academic_year"),
            can_publish=may_manage and self.object.status == Questionnaire.Status.DRAFT,
            can_copy=may_manage,
            publish_url=reverse(f"{QUESTIONNAIRE_URLS}:publish", args=[self.object.pk]),
            copy_url=reverse(f"{QUESTIONNAIRE_URLS}:copy_to_next_year", args=[self.object.pk]),
            questions_url=reverse(f"{QUESTION_URLS}:list") + f"?questionnaire={self.object.pk}",
        )
        return context


class QuestionnaireOperationView(BaseOperationView):
    """POST-only: QA managers publish or copy a questionnaire through its service."""

    model = Questionnaire

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_manage_questionnaires(request.user):
            return permission_denied(request)  # a 403, as for the upload
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return _questionnaire_inspect_url(self.object)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            self.perform_operation()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_questionnaire_inspect_url(self.object))
        self.add_success_message()
        return HttpResponseRedirect(self.get_success_url())


class QuestionnairePublishView(QuestionnaireOperationView):
    def perform_operation(self) -> None:
        questionnaire_publish(questionnaire=self.object, user=self.request.user)

    def get_success_message(self) -> str:
        return f"“{self.object.title}” is published. It can no longer change; copy it to make next year's."


class QuestionnaireCopyToNextYearView(QuestionnaireOperationView):
    def perform_operation(self) -> None:
        self.copy = questionnaire_copy_to_next_year(questionnaire=self.object, user=self.request.user)

    def get_success_message(self) -> str:
        return f"Created the draft “{self.copy.title}” for {self.copy.academic_year}."

    def get_success_url(self) -> str:
        return reverse(f"{QUESTIONNAIRE_URLS}:edit", args=[self.copy.pk])


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = "Questionnaires"
    index_view_class = QuestionnaireIndexView
    edit_view_class = QuestionnaireEditView
    delete_view_class = QuestionnaireDeleteView
    inspect_view_class = QuestionnaireInspectView
    inspect_view_enabled = True
    inspect_template_name = "schools/admin/questionnaire_inspect.html"
    inspect_view_fields = ["title", "kind", "academic_year", "status", "published_at", "copied_from", "introduction"]
    # Copying forward is "Copy to next year" (a new draft with its sections and questions);
    # Wagtail's generic copy would duplicate the status too.
    copy_view_enabled = False
    list_display = ["title", "kind", "academic_year", "status", DateColumn("published_at", label="Published")]
    filterset_class = QuestionnaireFilterSet
    search_fields = ["title", "academic_year"]
    search_backend_name = None
    ordering = ["-academic_year", "kind"]
    list_export = ["title", "get_kind_display", "academic_year", "get_status_display", "published_at"]
    export_headings = {"get_kind_display": "Kind", "get_status_display": "Status"}
    export_filename = "questionnaires"
    edit_handler = ObjectList(Questionnaire.panels, base_form_class=QuestionnaireForm)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("publish/<int:pk>/", QuestionnairePublishView.as_view(), name="publish"),
            path("copy-to-next-year/<int:pk>/", QuestionnaireCopyToNextYearView.as_view(), name="copy_to_next_year"),
        ]


class QuestionEditView(FrozenQuestionnaireGuardMixin, snippet_views.EditView):
    pass


class QuestionDeleteView(FrozenQuestionnaireGuardMixin, ProtectedDeleteMixin, snippet_views.DeleteView):
    pass


class QuestionIndexView(FrozenAwareIndexMixin, snippet_views.IndexView):
    pass


class QuestionViewSet(SnippetViewSet):
    """Questions across questionnaires, since a section's inline form cannot hold them."""

    model = Question
    icon = "list-ol"
    menu_label = "Questions"
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    delete_view_class = QuestionDeleteView
    # Order is per section; Wagtail's drag-to-reorder would number across every questionnaire.
    sort_order_field = None
    list_display = [
        "__str__",
        Column("questionnaire", label="Questionnaire", accessor="section.questionnaire"),
        Column("section", label="Section", accessor="section"),
        "answer_type",
        BooleanColumn("required", label="Required"),
    ]
    filterset_class = QuestionFilterSet
    search_fields = ["code", "text", "kcsie_reference"]
    search_backend_name = None
    ordering = [
        "-section__questionnaire__academic_year",
        "section__questionnaire__kind",
        "section__sort_order",
        "sort_order",
    ]
    list_export = [
        "section.questionnaire.title",
        "section.questionnaire.academic_year",
        "section.title",
        "code",
        "text",
        "get_answer_type_display",
        "required",
        "evidence_expected",
        "kcsie_reference",
        "setting_kinds",
    ]
    export_headings = {
        "section.questionnaire.title": "Questionnaire",
        "section.questionnaire.academic_year": "Academic year",
        "section.title": "Section",
        "get_answer_type_display": "Answer type",
        "kcsie_reference": "KCSIE reference",
    }
    export_filename = "questions"
    edit_handler = ObjectList(
        [FieldPanel("section"), *Question.panels, FieldPanel("setting_kinds")], base_form_class=QuestionForm
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        # The questionnaire decides whether a row may be edited: fetch it with the row.
        return Question.objects.select_related("section__questionnaire")


class QuestionnaireViewSetGroup(SnippetViewSetGroup):
    items = (QuestionnaireViewSet, QuestionViewSet)
    menu_label = "Questionnaires"
    menu_icon = "form"
    menu_name = "questionnaires"
