#!/usr/bin/env bash
# Part of `make demo`: enquiry triage under `smartlab serve`. Rasa serves the triage model
# (trained on first use); e-mails dropped into the inbox are classified and routed; doubtful
# ones wait for an officer, whose choice routes them.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEMO="$ROOT/.smartlab/demo/triage"
PY="$ROOT/.venv/bin/python"
S="$ROOT/.venv/bin/smartlab"
export SMARTLAB_DB="sqlite:///$DEMO/smartlab.db" RASA_TELEMETRY_ENABLED=false PYTHONPATH="$ROOT"
rm -rf "$DEMO" && mkdir -p "$DEMO/inbox/enquiries"
NLU_PORT=$("$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
export SMARTLAB_TRIAGE_NLU_URL="http://127.0.0.1:$NLU_PORT"

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    (cd "$ROOT" && "$S" nlu stop triage --port "$NLU_PORT" >/dev/null 2>&1) || true
    wait 2>/dev/null || true
}
trap cleanup EXIT
wait_for() { local limit=$1; shift; for _ in $(seq "$limit"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
             echo "demo: timed out waiting for: $*" >&2; return 1; }
settled() {
    "$PY" - <<'PY'
import os, sys
from rpa.store import QueueStore, RunStore
q = QueueStore(RunStore(os.environ["SMARTLAB_DB"]).engine)
sys.exit(0 if q.count("enquiry_triage", "new") == 0 and q.busy("enquiry_triage") == 0 else 1)
PY
}

(cd "$ROOT" && "$S" nlu serve triage --port "$NLU_PORT")
cd "$DEMO"
"$S" serve --flows "$ROOT/flows" --workers 1 --port 8322 > serve.log 2>&1 &
pids+=($!)
wait_for 60 "$PY" -c "import httpx; httpx.get('http://127.0.0.1:8322/api/health').raise_for_status()"
mkdir -p examples/enquiries && cp "$ROOT/examples/enquiries/resolved_cases.json" examples/enquiries/
cp "$ROOT"/examples/enquiries/inbox/*.eml inbox/enquiries/
sleep 3
wait_for 300 settled
"$S" queues list
"$S" tasks list
task=$("$S" tasks list --json | "$PY" -c "import json,sys; t=json.load(sys.stdin); print(t[0]['id'] if t else '')")
if [ -n "$task" ]; then
    echo "an officer routes task $task to the Housing Department"
    "$S" tasks complete "$task" --data '{"department": "housing"}' --by officer --no-resume
    sleep 2; wait_for 120 settled
    "$S" queues list
fi
