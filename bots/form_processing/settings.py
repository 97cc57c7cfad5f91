"""The form bot's `SMARTLAB_*` settings, shown by `smartlab config` (`smartlab.settings` entry point)."""

from __future__ import annotations

from rpa.settings import Setting

SETTINGS = [
    Setting("SMARTLAB_FORM_TEMPLATES", "folder of the site's own form templates (read beside the shipped "
            "ones; the review page's 'Save as template' writes there)", ".smartlab/form-templates"),
]
