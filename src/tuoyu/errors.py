"""Domain errors: a refused operation, with a stable code and a Chinese message for the user."""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    def __init__(self, code: StrEnum, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
