"""The robot's own tables (tour records, check-ins) as one Alembic branch, `robot`, offered
to the store's migrations through the `smartlab.migrations` entry point."""

from pathlib import Path

from sqlalchemy import MetaData

from rpa.store.migrate import Branch


def _tables() -> tuple[MetaData, ...]:
    from receptionist_robot.checkin import metadata as checkins
    from receptionist_robot.store import metadata as tours

    return tours, checkins


BRANCH = Branch("robot", Path(__file__).parent / "versions", _tables)

__all__ = ["BRANCH"]
