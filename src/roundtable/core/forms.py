from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def validation_error_dict(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]}, non-field errors under '__all__'."""
    if hasattr(error, "error_dict"):
        return {
            ("__all__" if key == NON_FIELD_ERRORS else key): value
            for key, value in error.message_dict.items()
        }
    return {"__all__": list(error.messages)}
