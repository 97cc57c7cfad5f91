"""Templates: one YAML file per form type, loaded into frozen models and checked once."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bots.form_processing.errors import TemplateError

TEMPLATE_DIR = Path(__file__).parent / "templates"
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


@cache
def templates(folder: Path = TEMPLATE_DIR) -> dict[str, Template]:
    """Every template in `folder`, by form type."""
    found = [load_template(p) for p in sorted(folder.glob("*.yaml"))]
    return {t.form_type: t for t in found}


def get_template(name: str, folder: Path = TEMPLATE_DIR) -> Template:
    known = templates(folder)
    if name not in known:
        raise TemplateError(f"no template '{name}'; known: {', '.join(sorted(known))}")
    return known[name]
