"""Form processing: read PDF and scanned application forms, check them, key them in.

Reading is `rpa.documents` (text layer or OCR per page); this package classifies a form
against YAML templates (or falls back to generic key-value pairs), reads each field beside
or below its bilingual label, checks it, and scores its confidence.

    SmartLabError (rpa.errors)
    ├── TemplateError        a template file is wrong: fix the template
    └── BusinessError        bad data: routed, never retried
        ├── FieldInvalid     one value breaks its type's rule (a clerk-readable reason)
        ├── FormInvalid      confidently read fields or cross-field rules fail, all listed
        └── UnknownForm      no template fits and generic mode is not allowed
    (unreadable files raise rpa.documents.DocumentRejected, also a BusinessError)
"""

from bots.form_processing.activities import classify, extract, templates, validate
from bots.form_processing.errors import FieldInvalid, FormInvalid, TemplateError, UnknownForm
from bots.form_processing.keying import KEYING_ACTIVITIES
from bots.form_processing.process import check, extract_pages, process
from bots.form_processing.result import Field, FormResult

ACTIVITIES: list = [classify, extract, validate, templates, *KEYING_ACTIVITIES]

__all__ = [
    "ACTIVITIES",
    "Field",
    "FieldInvalid",
    "FormInvalid",
    "FormResult",
    "TemplateError",
    "UnknownForm",
    "check",
    "extract_pages",
    "process",
]
