"""`smartlab triage`: run the triage bot over enquiries from the command line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import typer
from rich.progress import track
from rich.table import Table

from bots.enquiry_triage import activities
from bots.enquiry_triage.nlu_client import default_url
from rpa.activities import Context
from rpa.cli.common import err, out, user_errors

app = typer.Typer(help="Enquiry triage: classify, route, find similar cases, draft replies.",
                  no_args_is_help=True)

DEFAULT_CASES = Path("examples/enquiries/resolved_cases.json")
URL_HELP = ("Rasa server (default SMARTLAB_TRIAGE_NLU_URL or http://127.0.0.1:5005; "
            "start one with `smartlab nlu serve triage`).")


@app.callback()
def main() -> None:
    """Enquiry triage: classify, route, find similar cases, draft replies."""


@app.command("run")
def run(
    path: Path = typer.Argument(..., help="A folder of .eml files, a CSV or a JSON file."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
    cases: Path = typer.Option(DEFAULT_CASES, "--cases", help="Resolved cases to search."),
    as_json: bool = typer.Option(False, "--json", help="Print every routing record as JSON."),
) -> None:
    """Triage every enquiry at PATH and show where each would go."""
    ctx = Context(run_id="cli", flow="triage", state="run", step=1,
                  log=logging.getLogger("smartlab.triage"))
    with user_errors():
        enquiries = activities.ingested(ctx, str(path))  # a developer's files: no roots
        found = str(cases) if cases.exists() else None
        batches = activities.routed(ctx, enquiries, url or default_url(), found)  # batch parses
        progress = track(batches, total=len(enquiries), description="triaging enquiries",
                         console=err, transient=True,
                         disable=len(enquiries) < 2 or not err.is_terminal)  # stdout stays data
        records = list(progress)
    if as_json:
        out.print_json(json.dumps(records, ensure_ascii=False))
        return
    out.print(_table(records))


def _table(records: list[dict]) -> Table:
    table = Table("source", "lang", "intent", "conf.", "band", "queue", "urgency")
    for r in records:
        found = r["classification"] or {}
        table.add_row(Path(str(r["source"])).name, r.get("language") or "",
                      found.get("intent", r["decision"]["reason"]), f"{found.get('confidence', 0):.2f}",
                      r["decision"]["band"], r["decision"]["queue"], r["urgency"])
    return table
