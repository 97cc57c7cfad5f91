"""The console's robot page, offered by the robot package through the `smartlab.console`
entry point (`receptionist_robot.console:router`; the engine's console never imports the robot).

Status, a live map, tours started from the page, pause / resume / stop / reset and a one-click
e-stop, against the base named by SMARTLAB_ROBOT_URL. `desk` holds the line and the tour,
`view` works out what the page shows, `mapview` draws the map, `routes` serves it all.
A command the desk will not carry out raises `Refused`, shown as a one-line alert:

    Refused            -> the page again, with the reason in the viewer's language
"""

from receptionist_robot.console.desk import Refused, RobotLink
from receptionist_robot.console.routes import router

__all__ = ["Refused", "RobotLink", "router"]
