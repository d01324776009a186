"""Text as people type it, made safe to keep and to show: one set of rules for forms, the JSON API,
imports and the model itself.

A name that carries a right-to-left override reads differently from what is stored (an institution
called "园育托‮" can pass for another); control characters and lone surrogates break exports,
logs and the database driver. They are refused, with a Chinese message, rather than silently
dropped, so that what a person sees after saving is what they typed.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Bidirectional embedding, override and isolate controls, and the invisible direction marks.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_LINE_BREAKS = frozenset("\n\t")


def normalise(value: str) -> str:
    """NFC, Windows and old Mac line ends as \\n, surrounding blanks removed."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def problem(value: str, *, multiline: bool = False) -> str | None:
    """Why this text cannot be stored, in Chinese; None when it can."""
    for char in value:
        if char in _BIDI_CONTROLS:
            return "不能包含改变文字方向的控制字符。"
        category = unicodedata.category(char)
        if category == "Cs":
            return "包含无效的字符编码。"
        if category == "Cc" and not (multiline and char in _LINE_BREAKS):
            return "不能包含换行符或其他控制字符。" if not multiline else "不能包含控制字符。"
    return None


def has_lone_surrogate(value: str) -> bool:
    return any(unicodedata.category(char) == "Cs" for char in value)


@deconstructible
class PlainTextValidator:
    """Refuses control characters (line breaks too, unless ``multiline``) and direction overrides."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and (message := problem(value, multiline=self.multiline)):
            raise ValidationError(message, code="control_characters")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash(("PlainTextValidator", self.multiline))


plain_text = PlainTextValidator()
plain_multiline_text = PlainTextValidator(multiline=True)
