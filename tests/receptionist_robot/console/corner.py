"""A small tour map for quick console tests: a dock and two exhibits 1.5 m apart."""

from __future__ import annotations

from pathlib import Path

CORNER = """\
map: corner
locations:
  dock: {pose: [0, 0, 0], dock: true, names: {en: Dock, zh-HK: 充電座}}
  desk: {pose: [1.5, 0, 0], names: {en: Front desk, zh-HK: 接待處}}
  screen: {pose: [1.5, 1.5, 1.57], names: {en: Big screen, zh-HK: 大屏幕}}
tours:
  short:
    names: {en: Short tour, zh-HK: 短導賞}
    speed: 0.8
    stops:
      - location: desk
        dwell: 6
        script: {en: This is the front desk., zh-HK: 這是接待處。}
      - location: screen
        dwell: 6
        script: {en: This is the big screen., zh-HK: 這是大屏幕。}
policies: {obstacle_wait: 2, stop_timeout: 30}
"""


def write_corner(folder: Path) -> Path:
    path = folder / "corner.yaml"
    path.write_text(CORNER, encoding="utf-8")
    return path
