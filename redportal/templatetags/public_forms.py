"""Short public forms (lookup, OTP, mobile, status) drawn without a template per field.

``{{ form|crispy }}`` draws each field through several templates: 2 ms of a
lookup page's ~4 ms on the last day of a phase, when every millisecond is a
person waiting. These forms have only single-line inputs, so this tag writes
the same Bootstrap 5 markup (label, input, help, error, aria) directly. Other
widgets are refused: their forms keep crispy.
"""

from __future__ import annotations

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _errors(errors, css: str, element_id: str = "") -> SafeString:
    items = format_html_join("", "<li>{}</li>", ((error,) for error in errors))
    return format_html('<div class="{}"{} role="alert"><ul class="mb-0 ps-3">{}</ul></div>', css,
                       flatatt({"id": element_id}) if element_id else "", items)


def _field(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    if field.is_hidden:
        return mark_safe(str(field))  # noqa: S308 - Django's own escaped widget output
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
        help_html = format_html('<div class="form-text" id="{}">{}</div>', described[-1],
                                field.help_text)
    if field.errors:
        described.append(f"{element_id}_error")
        attrs["aria-invalid"] = "true"
        error_html = format_html('<div class="invalid-feedback" id="{}">{}</div>', described[-1],
                                 format_html_join(" ", "<strong>{}</strong>",
                                                  ((e,) for e in field.errors)))
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return format_html('<div class="mb-3" id="div_{}"><label class="form-label" for="{}">{}{}'
                       "</label><input{}>{}{}</div>", element_id, element_id, field.label,
                       mark_safe('<span class="asteriskField">*</span>')  # noqa: S308
                       if field.field.required else "", flatatt(attrs), error_html, help_html)


@register.simple_tag
def public_fields(form: forms.Form) -> SafeString:
    """Render ``form``'s errors and fields as Bootstrap 5 markup."""
    parts = []
    if form.non_field_errors():
        parts.append(_errors(form.non_field_errors(), "alert alert-danger"))
    parts.extend(_field(field) for field in form)
    return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html
