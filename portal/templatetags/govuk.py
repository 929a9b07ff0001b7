"""Template helpers that give Django form fields GOV.UK Frontend markup."""

from django import template
from django.forms.boundfield import BoundField

register = template.Library()

_INPUT_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
}
_CHOICE_WIDGETS = {"radioselect", "checkboxselectmultiple"}


def _described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field: BoundField):
    """Render the field's input with the GOV.UK classes, error state and aria links."""
    widget_type = field.widget_type
    base = _INPUT_CLASS.get(widget_type, "govuk-input")
    classes = [base]
    if field.errors:
        classes.append(f"{base}--error")
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    attrs = {"class": " ".join(classes)}
    described_by = _described_by(field)
    if described_by:
        attrs["aria-describedby"] = described_by
    return field.as_widget(attrs=attrs)


@register.filter
def govuk_described_by(field: BoundField) -> str:
    return _described_by(field)


@register.filter
def govuk_anchor(field: BoundField) -> str:
    """The id the error summary links to: the first option for radios and checkboxes."""
    if field.widget_type in _CHOICE_WIDGETS:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def govuk_is_choice_group(field: BoundField) -> bool:
    return field.widget_type in _CHOICE_WIDGETS


@register.simple_tag
def govuk_error_list(form) -> list[dict]:
    """Every error in the form, in field order, each with the id it should link to.
    Errors that belong to no field link to the form's first field."""
    visible = form.visible_fields()
    first_anchor = govuk_anchor(visible[0]) if visible else ""
    items = [{"message": message, "anchor": first_anchor} for message in form.non_field_errors()]
    for field in visible:
        for message in field.errors:
            items.append({"message": message, "anchor": govuk_anchor(field)})
    for field in form.hidden_fields():
        for message in field.errors:
            items.append({"message": message, "anchor": first_anchor})
    return items
