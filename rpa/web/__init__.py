"""The web side: the JSON API (and, later, the staff console) on FastAPI."""

from rpa.web.api import create_app

__all__ = ["create_app"]
