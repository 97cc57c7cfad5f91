"""The robot's `SMARTLAB_*` settings, shown by `smartlab config` (`smartlab.settings` entry point)."""

from rpa.settings import Setting

ROBOT_ENV = "SMARTLAB_ROBOT_URL"
TOUR_MAP_ENV = "SMARTLAB_TOUR_MAP"
DWELL_ENV = "SMARTLAB_TOUR_DWELL_SCALE"

SETTINGS = [
    Setting(ROBOT_ENV, "the robot base the console drives (device, socket://host:port)", "- (not connected)"),
    Setting(TOUR_MAP_ENV, "tour map for the console's robot page", "flows/tours/innovation_lab.yaml"),
    Setting(DWELL_ENV, "scale of the time spent at each stop (0 = no wait)", "1.0"),
    Setting("SMARTLAB_ROBOT_PORT", "the base's port for `smartlab robot` commands", "-"),
    Setting("SMARTLAB_RASA_URL", "Rasa server of the receptionist dialogue", "http://127.0.0.1:5005"),
    Setting("SMARTLAB_SMTP_URL", "mail server for check-in notices (smtp://host:port)", "-"),
    Setting("SMARTLAB_CHECKIN_TO", "who is told of a visitor's check-in", "-"),
]

__all__ = ["DWELL_ENV", "ROBOT_ENV", "SETTINGS", "TOUR_MAP_ENV"]
