"""The kiosk on the robot's screen: a touch page and its API over the dialogue bridge."""

from receptionist_robot.kiosk.app import create_app, kiosk_router

__all__ = ["create_app", "kiosk_router"]
