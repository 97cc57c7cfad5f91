#!/usr/bin/env bash
# Part of `make demo`: the guide robot takes the express tour against the simulated base
# (MAVLink v2 over TCP on loopback, time sped up), in Cantonese, and returns to its dock.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEMO="$ROOT/.smartlab/demo/robot"
S="$ROOT/.venv/bin/smartlab"
rm -rf "$DEMO" && mkdir -p "$DEMO" && cd "$DEMO"
export SMARTLAB_DB="sqlite:///$DEMO/smartlab.db"
PORT=$("$ROOT/.venv/bin/python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
"$S" robot sim --listen "tcp:127.0.0.1:$PORT" --time-scale 10 > sim.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 30); do grep -q . sim.log 2>/dev/null && break; sleep 0.5; done
"$S" robot tours "$ROOT/flows/tours"
"$S" robot tour express --port "socket://127.0.0.1:$PORT" --lang zh-HK --dwell-scale 0 \
    --tours-dir "$ROOT/flows/tours" --json > tour.json
"$ROOT/.venv/bin/python" -c "
import json; t = json.load(open('tour.json'))
print('tour', t.get('tour'), '->', t.get('status'), '| stops:', ', '.join(s.get('location', s.get('name', '?')) + ':' + s.get('status', '?') for s in t.get('stops', [])), '| distance', t.get('distance_m'), 'm')"
