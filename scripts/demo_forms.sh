#!/usr/bin/env bash
# Part of `make demo`: the form-processing bot end to end, under `smartlab serve`.
# Forms (digital and scanned, English and Chinese) are dropped into a watched inbox; the bot
# reads and checks them, keys good ones into the sample case system, rejects bad ones with a
# reason, and parks doubtful ones for a person; completing that review finishes the run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEMO="$ROOT/.smartlab/demo/forms"
PY="$ROOT/.venv/bin/python"
S="$ROOT/.venv/bin/smartlab"
export SMARTLAB_DB="sqlite:///$DEMO/smartlab.db"
export SMARTLAB_SECRET_CASE_PASSWORD=officer-pass CASE_SYSTEM_PASSWORD=officer-pass
export PYTHONPATH="$ROOT"
rm -rf "$DEMO" && mkdir -p "$DEMO/inbox/forms" "$DEMO/generated"
cd "$DEMO"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() {  # wait_for SECONDS COMMAND...: until the command succeeds
    local limit=$1; shift
    for _ in $(seq "$limit"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
    echo "demo: timed out waiting for: $*" >&2; return 1
}
settled() {  # no item new or being worked on (parked items wait for a person)
    "$PY" - <<'PY'
import os, sys
from rpa.store import QueueStore, RunStore
q = QueueStore(RunStore(os.environ["SMARTLAB_DB"]).engine)
sys.exit(0 if q.count("form_processing", "new") == 0 and q.busy("form_processing") == 0 else 1)
PY
}

"$PY" -m examples.case_system --port 8765 --db "$DEMO/cases.db" > case_system.log 2>&1 &
pids+=($!)
wait_for 30 grep -q "ready" case_system.log
cat case_system.log

"$PY" "$ROOT/examples/forms/generate.py" --type licence_application --count 3 --seed 3 generated >/dev/null
"$PY" "$ROOT/examples/forms/generate.py" --type licence_application --count 2 --seed 1 generated_zh >/dev/null
for f in generated_zh/licence_application-001-*.pdf; do cp "$f" "generated/zh-$(basename "$f")"; done  # Chinese
"$S" serve --flows "$ROOT/flows" --workers 1 --port 8321 > serve.log 2>&1 &
pids+=($!)
wait_for 60 "$PY" -c "import httpx; httpx.get('http://127.0.0.1:8321/api/health').raise_for_status()"
echo "dropping forms into inbox/forms: $(ls generated/*.pdf | xargs -n1 basename | tr '\n' ' ')"
cp generated/*.pdf inbox/forms/
cp "$ROOT/examples/forms/sample/health_declaration-001-scan.pdf" inbox/forms/
sleep 3
wait_for 600 settled
"$S" queues items form_processing
"$S" tasks list

task=$("$S" tasks list --json | "$PY" -c "import json,sys; t=json.load(sys.stdin); print(t[0]['id'] if t else '')")
if [ -n "$task" ]; then
    echo "a clerk accepts the values in review task $task"
    "$S" tasks complete "$task" --data '{}' --by clerk --no-resume
    sleep 2
    wait_for 300 settled
fi
"$S" queues items form_processing
echo "cases in the sample case system:"
"$PY" -c "
import sqlite3
for row in sqlite3.connect('cases.db').execute('select case_no, form_ref, applicant_name from cases order by id'):
    print('  ', *row)
"
echo "rejected, with reasons:"; for f in inbox/forms/rejected/*.reason.txt; do echo "   $(basename "$f" .reason.txt): $(cat "$f")"; done
