"""Short public forms (lookup, OTP, mobile, status) drawn without a template per field.

``{{ form|crispy }}`` draws each field through several templates: 2 ms of a
lookup page's ~4 ms on the last day of a phase, when every millisecond is a
person waiting. These forms have only single-line inputs, so this tag writes
the same Bootstrap 5 markup (label, input, help, error, aria) directly. Other
widgets are refused: their forms keep crispy.
"""

from __future__ import annotations

import html

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _e(value) -> str:
    """Escaped as ``format_html`` escapes its arguments (``conditional_escape``),
    without its per-call checks: each page draws some 30 of these."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """``flatatt``'s output: sorted ``key="value"`` pairs, then sorted bare keys."""
    pairs = sorted((key, value) for key, value in attrs.items()
                   if value is not None and not isinstance(value, bool))
    flags = sorted(key for key, value in attrs.items() if value is True)
    return ("".join(f' {_e(key)}="{_e(value)}"' for key, value in pairs)
            + "".join(f" {_e(key)}" for key in flags))


def _errors(errors, css: str) -> str:
    items = "".join(f"<li>{_e(error)}</li>" for error in errors)
    return f'<div class="{_e(css)}" role="alert"><ul class="mb-0 ps-3">{items}</ul></div>'


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
        help_html = f'<div class="form-text" id="{_e(described[-1])}">{_e(field.help_text)}</div>'
    if field.errors:
        described.append(f"{element_id}_error")
        attrs["aria-invalid"] = "true"
        errors = " ".join(f"<strong>{_e(error)}</strong>" for error in field.errors)
        error_html = f'<div class="invalid-feedback" id="{_e(described[-1])}">{errors}</div>'
    if described:
        attrs["aria-describedby"] = " ".join(described)
    required = '<span class="asteriskField">*</span>' if field.field.required else ""
    element = _e(element_id)
    return (f'<div class="mb-3" id="div_{element}"><label class="form-label" for="{element}">'
            f"{_e(field.label)}{required}</label><input{_attrs(attrs)}>{error_html}{help_html}"
            "</div>")


@register.simple_tag
def public_fields(form: forms.Form) -> SafeString:
    """Render ``form``'s errors and fields as Bootstrap 5 markup."""
    parts = []
    if form.non_field_errors():
        parts.append(_errors(form.non_field_errors(), "alert alert-danger"))
    parts.extend(_field(field) for field in form)
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped by _e
