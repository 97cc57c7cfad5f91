"""Built-in `browser.*` activities (being built)."""

ACTIVITIES: list = []
