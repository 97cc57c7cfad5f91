"""The departments enquiries are routed to: one row per triage intent.

`queue` names the department's work queue; `days` is the pledged reply time used in drafts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Department:
    intent: str
    code: str
    name_en: str
    name_zh: str
    days: int

    @property
    def queue(self) -> str:
        return f"triage.{self.code.lower()}"

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en


DEPARTMENTS: dict[str, Department] = {d.intent: d for d in [
    Department("transport", "TD", "Transport Department", "運輸署", 10),
    Department("food_environmental_hygiene", "FEHD", "Food and Environmental Hygiene Department",
               "食物環境衞生署", 10),
    Department("housing", "HD", "Housing Department", "房屋署", 10),
    Department("environmental_protection", "EPD", "Environmental Protection Department",
               "環境保護署", 10),
    Department("water_supplies", "WSD", "Water Supplies Department", "水務署", 5),
    Department("highways", "HyD", "Highways Department", "路政署", 5),
    Department("buildings", "BD", "Buildings Department", "屋宇署", 10),
    Department("lands", "LandsD", "Lands Department", "地政總署", 15),
    Department("leisure_cultural", "LCSD", "Leisure and Cultural Services Department",
               "康樂及文化事務署", 10),
    Department("immigration", "ImmD", "Immigration Department", "入境事務處", 10),
    Department("inland_revenue", "IRD", "Inland Revenue Department", "稅務局", 10),
    Department("social_welfare", "SWD", "Social Welfare Department", "社會福利署", 5),
]}

NO_DEPARTMENT = {"out_of_scope", "nlu_fallback", ""}


def department_of(intent: str) -> Department | None:
    return DEPARTMENTS.get(intent)
