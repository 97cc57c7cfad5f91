"""Built-in `pdf.*` activities (being built)."""

ACTIVITIES: list = []
