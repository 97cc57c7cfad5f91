"""Form processing: read PDF and scanned application forms, check them, key them in."""

ACTIVITIES: list = []
