"""The form-processing errors; see the tree in the package docstring."""

from __future__ import annotations

from rpa.errors import BusinessError, SmartLabError


class TemplateError(SmartLabError):
    """A template file is wrong (bad YAML, unknown type, bad regex): fix the template."""


class FormInvalid(BusinessError):
    """Fields read with confidence break a rule; `problems` maps field key to a clerk's reason."""

    def __init__(self, file: str, problems: dict[str, str]) -> None:
        self.file, self.problems = file, problems
        listed = "; ".join(f"{key}: {reason}" for key, reason in problems.items())
        super().__init__(f"{file}: {listed}")


class UnknownForm(BusinessError):
    """No template matches and generic mode was not allowed."""


class FieldInvalid(BusinessError):
    """One value breaks its type's rule; the message is written for a clerk."""
