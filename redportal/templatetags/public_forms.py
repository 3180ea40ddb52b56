"""Short public forms (lookup, OTP, mobile, status) drawn without a template per field.

``{{ form|crispy }}`` draws each field through several templates: 2 ms of a
lookup page's ~4 ms on the last day of a phase, when every millisecond is a
person waiting. These forms have only single-line inputs, so this tag writes
the same Bootstrap 5 markup (label, input, help, error, aria) directly. Other
widgets are refused: their forms keep crispy.
"""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from common.markup import attributes, escaped

register = template.Library()


def _errors(errors, css: str) -> str:
    items = "".join(f"<li>{escaped(error)}</li>" for error in errors)
    return f'<div class="{escaped(css)}" role="alert"><ul class="mb-0 ps-3">{items}</ul></div>'


def _field(field: forms.BoundField) -> str:
    widget = field.field.widget
    if field.is_hidden:
        return str(field)  # Django's own escaped widget output
    if not isinstance(widget, forms.widgets.Input) or widget.input_type in ("checkbox", "radio",
                                                                            "file"):
        raise TypeError(f"public_fields draws single-line inputs only, not {widget!r}")
    element_id = field.auto_id or f"id_{field.html_name}"
    described = []
    attrs = {"type": widget.input_type, "name": field.html_name, "id": element_id,
             "class": "form-control" + (" is-invalid" if field.errors else "")}
    value = field.value()
    if value not in (None, "") and widget.input_type != "password":
        attrs["value"] = widget.format_value(value)
    attrs.update(widget.attrs)
    if field.field.required:
        attrs["required"] = True
    help_html = error_html = ""
    if field.help_text:
        described.append(f"{element_id}_help")
        help_html = (f'<div class="form-text" id="{escaped(described[-1])}">'
                     f"{escaped(field.help_text)}</div>")
    if field.errors:
        described.append(f"{element_id}_error")
        attrs["aria-invalid"] = "true"
        errors = " ".join(f"<strong>{escaped(error)}</strong>" for error in field.errors)
        error_html = f'<div class="invalid-feedback" id="{escaped(described[-1])}">{errors}</div>'
    if described:
        attrs["aria-describedby"] = " ".join(described)
    required = '<span class="asteriskField">*</span>' if field.field.required else ""
    element = escaped(element_id)
    return (f'<div class="mb-3" id="div_{element}"><label class="form-label" for="{element}">'
            f"{escaped(field.label)}{required}</label><input{attributes(attrs)}>{error_html}{help_html}"
            "</div>")


@register.simple_tag
def public_fields(form: forms.Form) -> SafeString:
    """Render ``form``'s errors and fields as Bootstrap 5 markup."""
    parts = []
    if form.non_field_errors():
        parts.append(_errors(form.non_field_errors(), "alert alert-danger"))
    parts.extend(_field(field) for field in form)
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
