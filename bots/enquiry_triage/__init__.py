"""Enquiry triage: classify citizens' enquiries with Rasa, route, find similar cases, draft replies."""

ACTIVITIES: list = []
