"""Keying an extracted form into a case system, exactly once.

`case.create` signs in when the system asks, searches by the form's reference first and,
if a case already exists, returns its number instead of creating another, so a run killed
between submit and read-back (or retried after a lost answer) never makes a second case.
Otherwise it fills the new-case form, submits it, and reads back the case number; the
system's own validation messages come back as a BusinessError a clerk can act on.

Where things are on the case system's pages is a `Target`: the sample case system's is
built in (`SAMPLE_TARGET`); another system's is a YAML file of the same shape, read only
from inside the run's declared file roots (`rpa.activities.roots`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urljoin

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from rpa.activities import roots
from rpa.activities.context import Context
from rpa.activities.spec import activity
from rpa.browser import BrowserSession, actions, sessions
from rpa.errors import BusinessError

_TRUE = {"true", "yes", "y", "1", "checked", "x", "✓", "✔", "☑", "☒", "是"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoginTarget(_Model):
    path: str = "/login"
    username: str = "#username"
    password: str = "#password"
    submit: str = "#sign-in"
    errors: str = "#login-error"


class SearchTarget(_Model):
    path: str = "/cases"
    field: str = "#ref"
    submit: str = "#search"
    results: str = ".case-row .case-number"
    empty: str = "#no-results"


class FieldTarget(_Model):
    selector: str
    kind: Literal["text", "select", "check"] = "text"


def _field(value: Any) -> Any:
    return {"selector": value} if isinstance(value, str) else value


class Target(_Model):
    """Where a case system keeps its login, search, new-case form and case number."""

    login: LoginTarget = LoginTarget()
    search: SearchTarget = SearchTarget()
    new_case: str = "/cases/new"
    reference: str = "form_ref"  # the form field the duplicate check searches by
    fields: dict[str, Annotated[FieldTarget, BeforeValidator(_field)]]
    submit: str = "#submit"
    success: str = "#case-number"
    errors: str = "#form-errors"


SAMPLE_TARGET = Target(fields={
    "form_ref": "#form_ref",
    "licence_type": {"selector": "#licence_type", "kind": "select"},
    "applicant_name": "#applicant_name",
    "hkid": "#hkid",
    "date_of_birth": "#date_of_birth",
    "phone": "#phone",
    "email": "#email",
    "business_name": "#business_name",
    "premises_address": "#premises_address",
    "declaration": {"selector": "#declaration", "kind": "check"},
})


def load_target(path: Path | None) -> Target:
    """The target described by a YAML file; the sample case system's when `path` is None."""
    if path is None:
        return SAMPLE_TARGET
    try:
        return Target.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise BusinessError(f"cannot read case-system target {path}: {exc.strerror}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise BusinessError(f"case-system target {path} is not valid: {exc}") from exc


def form_values(form: dict[str, Any]) -> dict[str, Any]:
    """Values by key, from a flat mapping or an extraction result (`fields: [{key, value}]`)."""
    fields = form.get("fields")
    if isinstance(fields, list):
        return {f["key"]: f.get("value") for f in fields if isinstance(f, dict) and "key" in f}
    return dict(form)


class Keyer:
    """One case system, reached through a run's browser session."""

    def __init__(self, session: BrowserSession, url: str, username: str, password: str,
                 target: Target, timeout: float) -> None:
        self.session, self.base, self.target, self.timeout = session, url, target, timeout
        self._credentials = (username, password)

    def _do(self, action: Any, *args: Any, what: str, selector: str | None = None) -> Any:
        return self.session.run(action, *args, what=what, selector=selector, timeout=self.timeout)

    def _url(self, path: str) -> str:
        return urljoin(self.base.rstrip("/") + "/", path.lstrip("/"))

    def open(self, path: str) -> None:
        """Open a page, signing in first when the system shows its login form instead."""
        self._do(actions.goto, self._url(path), what=f"case system: open {path}")
        if self._do(actions.count, self.target.login.username, what="case system: sign-in check"):
            self.sign_in()
            self._do(actions.goto, self._url(path), what=f"case system: open {path}")

    def sign_in(self) -> None:
        login = self.target.login
        fields = {"username": login.username, "password": login.password, "submit": login.submit}
        self.session.run(actions.login, self._url(login.path), *self._credentials, fields, None,
                         login.errors, what="case system: sign in", timeout=self.timeout,
                         secret=self._credentials)

    def find(self, reference: str) -> list[str]:
        """Case numbers on file for a form reference (as the system lists them)."""
        search = self.target.search
        self.open(search.path)
        self._do(actions.fill, search.field, reference, what="case search: type reference",
                 selector=search.field)
        self._do(actions.click, search.submit, f"{search.results}, {search.empty}", None,
                 what="case search: search", selector=search.submit)
        if not self._do(actions.count, search.results, what="case search: results"):
            return []
        return self._do(actions.text, search.results, True, what="case search: read results")

    def create(self, values: dict[str, Any]) -> str:
        """Fill the new-case form, submit it, and read back the new case number."""
        self.open(self.target.new_case)
        for key, field in self.target.fields.items():
            self._key(field, values.get(key))
        self._do(actions.click, self.target.submit, self.target.success, self.target.errors,
                 what="new case: submit", selector=self.target.submit)
        return self._do(actions.text, self.target.success, what="new case: read case number",
                        selector=self.target.success)

    def _key(self, field: FieldTarget, value: Any) -> None:
        what, selector = f"new case: {field.kind} {field.selector}", field.selector
        if field.kind == "check":
            self._do(actions.check, selector, _truthy(value), what=what, selector=selector)
        elif value in (None, ""):
            return  # left blank; the system says whether it may be
        elif field.kind == "select":
            self._do(actions.select, selector, str(value), None, what=what, selector=selector)
        else:
            self._do(actions.fill, selector, str(value), what=what, selector=selector)


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in _TRUE


def _reference(values: dict[str, Any], target: Target) -> str:
    reference = str(values.get(target.reference) or "").strip()
    if not reference:
        raise BusinessError(f"the form has no '{target.reference}', so it cannot be checked "
                            "for an existing case; it needs review")
    return reference


def _keyer(ctx: Context, url: str, username: str, password: str, target: Path | None,
           timeout: float | None) -> Keyer:
    wanted = timeout if timeout is not None else sessions.config.timeout
    described = roots.readable(target, ctx.run_id) if target is not None else None
    return Keyer(sessions.session(ctx.run_id), url, username, password, load_target(described),
                 min(wanted, ctx.remaining(default=wanted)))


@activity("case.find")
def find_case(ctx: Context, url: str, username: str, password: str, form_ref: str,
              target: Path | None = None, timeout: float | None = None) -> str | None:
    """The number of the case already on file for a form reference, or null."""
    found = _keyer(ctx, url, username, password, target, timeout).find(form_ref.strip())
    return found[0] if found else None


@activity("case.create", effect=True)
def create_case(ctx: Context, url: str, username: str, password: str, form: dict[str, Any],
                target: Path | None = None, timeout: float | None = None) -> dict[str, Any]:
    """Key a form in as a new case, unless its reference is on file; returns the case number."""
    keyer = _keyer(ctx, url, username, password, target, timeout)
    values = form_values(form)
    reference = _reference(values, keyer.target)
    existing = keyer.find(reference)
    if existing:
        ctx.log.info("form %s is already case %s; not keyed again", reference, existing[0])
        return {"case_number": existing[0], "form_ref": reference, "created": False}
    number = keyer.create(values)
    ctx.log.info("form %s keyed as case %s", reference, number)
    return {"case_number": number, "form_ref": reference, "created": True}


KEYING_ACTIVITIES: list = [find_case, create_case]
