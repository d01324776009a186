"""Django choices built from the engines' code lists, so each list is written once (policy/vocabulary.py)."""

from __future__ import annotations

from django.db import models

from tuoyu.engines.policy.vocabulary import Codes


def text_choices(name: str, codes: Codes, *, module: str) -> type[models.TextChoices]:
    """A TextChoices class with one member per code, named by the code in upper case
    (``LegalForm.SOCIAL_SERVICE_ORG``), labelled as the list labels it. ``module`` is the defining
    module's ``__name__``, so the class pickles and reads as if it were declared there."""
    members = [(code.upper(), (code, codes.label(code))) for code in codes]
    return models.TextChoices(name, members, module=module, qualname=name)
