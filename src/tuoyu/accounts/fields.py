"""Model fields for personal numbers: validated on input, masked wherever they are shown or logged."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

from tuoyu.engines.identifiers import (
    InvalidIdentifier,
    mask_id_number,
    mask_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

_CHECKS: dict[str, Callable[[str], object]] = {
    "id_number": validate_id_number,
    "mobile": validate_mobile,
    "credit_code": validate_credit_code,
}


@deconstructible
class IdentifierValidator:
    """Django validator around the identifiers engine; its Chinese message becomes the field error."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value: str) -> None:
        if value:
            try:
                _CHECKS[self.kind](value)
            except InvalidIdentifier as error:
                raise ValidationError(str(error), code=f"invalid_{self.kind}") from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdentifierValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


class PersonalNumberField(models.CharField):
    """A number that identifies a person. The audit trail and pages only ever see ``mask(value)``."""

    mask: Callable[[str | None], str] = staticmethod(lambda value: value or "")


class IdNumberField(PersonalNumberField):
    mask = staticmethod(mask_id_number)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)
        self.validators.append(IdentifierValidator("id_number"))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 18:
            del kwargs["max_length"]
        return name, path, args, kwargs


class MobileField(PersonalNumberField):
    mask = staticmethod(mask_mobile)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)
        self.validators.append(IdentifierValidator("mobile"))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 11:
            del kwargs["max_length"]
        return name, path, args, kwargs


credit_code_validator = IdentifierValidator("credit_code")
