"""The staff web console: server-rendered pages (Jinja2 + htmx) on the API's FastAPI app.

`mount_console(app)` adds the pages under /console, the static files (htmx is vendored, no
CDN) and the handlers that turn the console's errors into pages.
"""

from rpa.web.console.mount import mount_console

__all__ = ["mount_console"]
