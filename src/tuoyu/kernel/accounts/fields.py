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


class NormalisedCodeField(models.CharField):
    """A code stored in one canonical form (blanks removed, letters upper-case), whatever was typed:
    "…019x" and "…019X" are one person, and the one-post-per-person constraint must see them as one.
    A subclass names its identifier ``kind`` (checked by the identifiers engine) and its length."""

    kind: str | None = None
    length: int | None = None

    def __init__(self, *args, **kwargs):
        if self.length is not None:
            kwargs.setdefault("max_length", self.length)
        super().__init__(*args, **kwargs)
        if self.kind is not None:
            self.validators.append(IdentifierValidator(self.kind))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.length is not None and kwargs.get("max_length") == self.length:
            del kwargs["max_length"]
        return name, path, args, kwargs

    @staticmethod
    def canonical(value):
        return "".join(value.split()).upper() if isinstance(value, str) else value

    def to_python(self, value):
        return self.canonical(super().to_python(value))

    def get_prep_value(self, value):
        return self.canonical(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        value = self.canonical(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class CreditCodeField(NormalisedCodeField):
    kind, length = "credit_code", 18


class PersonalNumberField(NormalisedCodeField):
    """A number that identifies a person. The audit trail and pages only ever see ``mask(value)``."""

    mask: Callable[[str | None], str] = staticmethod(lambda value: value or "")


class IdNumberField(PersonalNumberField):
    kind, length = "id_number", 18
    mask = staticmethod(mask_id_number)


class MobileField(PersonalNumberField):
    kind, length = "mobile", 11
    mask = staticmethod(mask_mobile)
