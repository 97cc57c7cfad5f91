"""Wiring the kiosk for `smartlab robot kiosk`: Rasa URL, base port, tours, store, notifier."""

from __future__ import annotations

from pathlib import Path

from receptionist_robot.checkin import CheckIns, notifier_for
from receptionist_robot.dialogue import Dialogue
from receptionist_robot.guide import Guide
from receptionist_robot.rasa_channel import RasaChannel
from receptionist_robot.speech import Speaker
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import resolve


def build_dialogue(rasa_url: str, robot_port: str | None, tours: str, tours_dir: Path,
                   db: str | None = None, smtp_url: str | None = None, notify_to: str | None = None,
                   speak: bool = False, dwell_scale: float = 1.0) -> Dialogue:
    """Without a robot port the kiosk still talks; tour commands are shown, not driven."""
    guide = None
    if robot_port:
        tour_map, _ = resolve(tours, tours_dir)
        guide = Guide(robot_port, tour_map, TourRecords(db), dwell_scale)
    return Dialogue(RasaChannel(rasa_url), guide, CheckIns(db), notifier_for(smtp_url, notify_to),
                    Speaker(enabled=speak))
