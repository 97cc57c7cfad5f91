"""Built-in `ocr.*` activities (being built)."""

ACTIVITIES: list = []
