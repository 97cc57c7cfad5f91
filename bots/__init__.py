"""SmartLab's bots: one package per bot, each exporting its activities as `ACTIVITIES`."""
