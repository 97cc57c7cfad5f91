"""Templates: one YAML file per form type, loaded into frozen models and checked once.

The bot reads the shipped templates and the site's own (`SMARTLAB_FORM_TEMPLATES`), where
the review page saves a template made from a reviewed form that had none (`save_template`).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bots.form_processing.errors import TemplateError

TEMPLATE_DIR = Path(__file__).parent / "templates"
SITE_ENV = "SMARTLAB_FORM_TEMPLATES"
SITE_DEFAULT = ".smartlab/form-templates"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,47}$")  # a form type, which is also the file's name
CJK = re.compile(r"[\u3400-\u9fff]")
FieldType = Literal["text", "name", "hkid", "date", "phone", "email", "amount", "choice",
                    "checkbox", "signature"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Label(Frozen):
    en: str = ""
    zh: str = ""

    def texts(self) -> list[str]:
        return [t for t in (self.en, self.zh) if t]


class Option(Frozen):
    value: str
    en: str = ""
    zh: str = ""

    @property
    def label(self) -> Label:
        return Label(en=self.en, zh=self.zh)


class FieldSpec(Frozen):
    key: str
    type: FieldType = "text"
    label: Label
    where: Literal["right", "below"] = "right"
    lines: int = 1
    region: tuple[float, float, float, float] | None = None  # page fractions x0, y0, x1, y1
    regex: str | None = None
    required: bool = True
    options: tuple[Option, ...] = ()

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value


class Rule(Frozen):
    rule: str
    fields: tuple[str, ...]
    value: float | None = None


class Template(Frozen):
    form_type: str
    title: Label
    keywords: dict[Literal["en", "zh"], tuple[str, ...]]
    fields: tuple[FieldSpec, ...]
    rules: tuple[Rule, ...] = ()

    def field(self, key: str) -> FieldSpec:
        return next(f for f in self.fields if f.key == key)


def load_template(path: Path) -> Template:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Template.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: cannot read template: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TemplateError(f"{path}: {where}: {first['msg']}") from exc


def site_folder() -> Path:
    """Where the site's own templates are (the review page saves new ones there)."""
    return Path(os.environ.get(SITE_ENV) or SITE_DEFAULT)


def templates(folder: Path | None = None) -> dict[str, Template]:
    """Every template by form type: the shipped ones and the site's, or `folder`'s alone.
    Read again when a folder changes (a template saved by a reviewer), else from memory."""
    folders = (folder,) if folder else (TEMPLATE_DIR, site_folder())
    return _templates(tuple((f, _stamp(f)) for f in folders))


def _stamp(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return 0


@cache
def _templates(stamped: tuple[tuple[Path, int], ...]) -> dict[str, Template]:
    found = [load_template(p) for folder, _ in stamped for p in sorted(folder.glob("*.yaml"))]
    return {t.form_type: t for t in found}


def get_template(name: str, folder: Path | None = None) -> Template:
    known = templates(folder)
    if name not in known:
        raise TemplateError(f"no template '{name}'; known: {', '.join(sorted(known))}")
    return known[name]


def template_from_pairs(name: str, pairs: list[dict[str, Any]]) -> Template:
    """A template from a reviewed form that had none: each kept pair (`label` as the reviewer
    corrected it, `type`, and the `key_box`/`value_box` the bot found) becomes an optional field
    read beside or below its label; the labels are the keywords that recognise the form."""
    if not NAME.match(name):
        raise TemplateError(f"'{name}' is not a template name: small letters, digits and _, from a letter")
    labels = [" ".join(str(p.get("label", "")).split()) for p in pairs]
    if not any(labels):
        raise TemplateError("keep at least one label for the template")
    keys = _keys(labels)
    fields = [_spec(key, label, p) for key, label, p in zip(keys, labels, pairs, strict=True) if label]
    keywords = {lang: tuple(t for t in labels if t and bool(CJK.search(t)) == (lang == "zh")) for lang in ("en", "zh")}
    data = {"form_type": name, "title": {"en": name.replace("_", " ").capitalize()},
            "keywords": {k: v for k, v in keywords.items() if v}, "fields": fields}
    try:
        return Template.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise TemplateError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc


def _keys(labels: list[str]) -> list[str]:
    """A field key per label: its words in snake case (field_N for a label without Latin words),
    made unique."""
    found: list[str] = []
    for n, label in enumerate(labels, 1):
        key = "_".join(re.findall(r"[a-z0-9]+", label.lower()))[:40] or f"field_{n}"
        key = key if key[0].isalpha() else f"field_{key}"
        found.append(key if key not in found else f"{key}_{n}")
    return found


def _spec(key: str, label: str, pair: dict[str, Any]) -> dict[str, Any]:
    lang = "zh" if CJK.search(label) else "en"
    return {"key": key, "type": pair.get("type") or "text", "label": {lang: label},
            "where": _where(pair.get("key_box"), pair.get("value_box")), "required": False}


def _where(label: Any, value: Any) -> str:
    """`right` when the value starts at or past the label's right half, else `below`."""
    if not label or not value:
        return "right"
    return "right" if value[0] >= (label[0] + label[2]) / 2 else "below"


def save_template(template: Template, folder: Path | None = None) -> Path:
    """Write `template` as `<form_type>.yaml` in the site's folder; a form type the bot knows
    already, shipped or saved, is refused (TemplateError), so nothing is overwritten."""
    folder = folder or site_folder()
    if template.form_type in templates() or template.form_type in templates(folder):
        raise TemplateError(f"a template named '{template.form_type}' already exists")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{template.form_type}.yaml"
    text = yaml.safe_dump(template.model_dump(mode="json", exclude_defaults=True), allow_unicode=True,
                          sort_keys=False)
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError as exc:
        raise TemplateError(f"a template named '{template.form_type}' already exists") from exc
    load_template(target)  # what was written reads back as a template
    return target
