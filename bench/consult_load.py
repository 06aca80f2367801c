"""Load bench for the consultation: N concurrent visitors each run whole visits through the JSON API.

    .venv/bin/python bench/consult_load.py                      # 50 visitors, 20 s, a server of its own
    .venv/bin/python bench/consult_load.py --visitors 10 --duration 10
    .venv/bin/python bench/consult_load.py --url http://127.0.0.1:8000   # a server you already run (loopback only)

By default it builds a throw-away embedded default (SQLite under a temporary RXPLAIN_VAR_DIR, the isotretinoin pack
loaded and indexed), starts `rxplain runserver --noreload` on a free loopback port (or gunicorn with
--server gunicorn, if installed), and stops it at the end. A visit is: POST /api/consultations, a few messages
(one visit in ten ends with a crisis message, then checks that one more message gets 409), then GET the transcript.

It prints visits/s, message latency p50/p99, errors, and the same server's /healthz requests/s as the ceiling, side
by side; and checks that no message was lost: every message acknowledged with 2xx is in the transcript, and (with
its own server) the rows stored equal the messages acknowledged.

All 50 visitors come from 127.0.0.1, so with its own server the bench raises the per-address limits (new visits and
messages per address); the per-visitor limit stays as configured. Against --url, 429s count as errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
QUESTIONS = [
    "Why are my lips so dry?",
    "Can I drink alcohol while taking isotretinoin?",
    "Do I need blood tests while on isotretinoin?",
    "What is iPLEDGE?",
    "Can I take vitamin A supplements?",
    "How long does a course of isotretinoin last?",
    "Is it normal for my acne to get worse at first?",
    "Can I wax my eyebrows on Accutane?",
    "What sunscreen should I use?",
    "My back hurts after running, is that the medicine?",
]
CRISIS = "I want to kill myself"
SETTINGS_MODULE = """\
# Written by bench/consult_load.py: the embedded default, with the per-address limits raised because every
# simulated visitor shares 127.0.0.1. The per-visitor limit is left as configured.
from rxplain.settings import *  # noqa: F403

CONSULT_RATE_LIMITS = {**CONSULT_RATE_LIMITS, "ip": "100000000/60", "start": "100000000/60"}  # noqa: F405
"""


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)  # seconds, message POSTs only
    visits: int = 0
    acked: int = 0  # messages answered 2xx
    refused_after_crisis: int = 0  # the expected 409s
    errors: dict[str, int] = field(default_factory=dict)
    lost: int = 0  # acknowledged messages missing from the transcript

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


class Http:
    """A new connection per request (Connection: close).

    Django's runserver writes a response's headers and body separately; on a kept-alive connection the body then
    waits for the client's delayed ACK (about 40 ms on Linux), which would measure TCP timers, not the app.
    """

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def close(self) -> None:
        pass


def visitor(host: str, port: int, deadline: float, max_visits: int, messages: int, tally: Tally,
            counter: list[int], seed: int) -> None:
    rng = random.Random(seed)
    http_ = Http(host, port, timeout=60)
    try:
        while time.monotonic() < deadline:
            with tally.lock:
                if counter[0] >= max_visits:
                    return
                counter[0] += 1
            run_visit(http_, rng, messages, tally)
    finally:
        http_.close()


def run_visit(http_: Http, rng: random.Random, messages: int, tally: Tally) -> None:
    try:
        status, payload = http_.request("POST", "/api/consultations")
    except OSError as exc:
        tally.error(f"start {type(exc).__name__}")
        return
    if status != 201:
        tally.error(f"start HTTP {status}")
        return
    started = json.loads(payload)
    visit, token = started["id"], started["token"]
    crisis = rng.random() < 0.1
    texts = rng.sample(QUESTIONS, k=min(messages, len(QUESTIONS)))
    if crisis:
        texts[-1] = CRISIS
    acked: list[int] = []
    for text in texts:
        t0 = time.perf_counter()
        try:
            status, payload = http_.request("POST", f"/api/consultations/{visit}/messages", {"text": text}, token)
        except OSError as exc:
            tally.error(f"message {type(exc).__name__}")
            continue
        elapsed = time.perf_counter() - t0
        if 200 <= status < 300:
            body = json.loads(payload)
            acked.append(body["message_id"])
            with tally.lock:
                tally.latencies.append(elapsed)
                tally.acked += 1
            if text == CRISIS and body.get("status") != "ended_safety":
                tally.error("crisis not stopped")
        else:
            tally.error(f"message HTTP {status}")
    if crisis:
        status, _ = http_.request("POST", f"/api/consultations/{visit}/messages", {"text": "one more"}, token)
        if status == 409:
            with tally.lock:
                tally.refused_after_crisis += 1
        else:
            tally.error(f"after crisis HTTP {status} (expected 409)")
    status, payload = http_.request("GET", f"/api/consultations/{visit}", token=token)
    if status != 200:
        tally.error(f"transcript HTTP {status}")
        return
    stored = {m["id"] for m in json.loads(payload)["messages"] if m["role"] == "patient"}
    with tally.lock:
        tally.lost += len(set(acked) - stored)
        tally.visits += 1


def hammer_healthz(host: str, port: int, deadline: float, latencies: list[float], errors: list[int],
                   lock: threading.Lock) -> None:
    http_ = Http(host, port, timeout=30)
    mine: list[float] = []
    bad = 0
    try:
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                status, _ = http_.request("GET", "/healthz")
            except OSError:
                bad += 1
                continue
            mine.append(time.perf_counter() - t0)
            if status != 200:
                bad += 1
    finally:
        http_.close()
    with lock:
        latencies.extend(mine)
        errors.append(bad)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_server(workdir: Path, server: str, workers: int, threads: int) -> tuple[subprocess.Popen, int, dict]:
    (workdir / "bench_consult_settings.py").write_text(SETTINGS_MODULE)
    env = {**os.environ, "RXPLAIN_VAR_DIR": str(workdir / "var"), "DEBUG": "false",
           "SECRET_KEY": os.urandom(24).hex(), "DJANGO_SETTINGS_MODULE": "bench_consult_settings",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(workdir), os.environ.get("PYTHONPATH")])),
           "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    rxplain = str(BIN / "rxplain")
    print("preparing the embedded default (migrate, load and index the isotretinoin pack)...", flush=True)
    subprocess.run([rxplain, "migrate", "--noinput", "-v", "0"], env=env, cwd=REPO, check=True)
    subprocess.run([rxplain, "load_content", str(REPO / "content" / "isotretinoin")], env=env, cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    if server == "gunicorn":
        command = [str(BIN / "gunicorn"), "rxplain.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
                   "--threads", str(threads), "--timeout", "120", "--log-level", "warning"]
    else:
        command = [rxplain, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, port, env


def wait_until_up(host: str, port: int, process: subprocess.Popen | None, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server exited with code {process.returncode}")
        try:
            status, _ = Http(host, port, timeout=2).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz in time")


def stored_patient_messages(var_dir: Path) -> int:
    with sqlite3.connect(var_dir / "db.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM consult_message WHERE role = 'patient'").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=50, help="concurrent visitors (default 50)")
    parser.add_argument("--duration", type=float, default=20, help="seconds for each phase (default 20)")
    parser.add_argument("--max-visits", type=int, default=20_000, help="stop after this many visits (default 20000)")
    parser.add_argument("--messages", type=int, default=4, help="messages per visit (default 4)")
    parser.add_argument("--url", help="a running server on loopback, instead of starting one")
    parser.add_argument("--server", choices=["runserver", "gunicorn"], default="runserver")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (default 8)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not 1 <= args.visitors <= 500 or not 0 < args.duration <= 600:
        raise SystemExit("keep --visitors within 1-500 and --duration within 600 s")

    process = None
    tmp = None
    var_dir = None
    if args.url:
        parsed = urllib.parse.urlsplit(args.url)
        if parsed.hostname not in LOOPBACK:
            raise SystemExit("the bench only runs against a server on loopback (127.0.0.1, localhost, ::1)")
        host, port = parsed.hostname, parsed.port or 80
    else:
        tmp = tempfile.TemporaryDirectory(prefix="rxplain-bench-")
        process, port, env = prepare_server(Path(tmp.name), args.server, args.workers, args.threads)
        host, var_dir = "127.0.0.1", Path(env["RXPLAIN_VAR_DIR"])
    try:
        wait_until_up(host, port, process)
        # Warm-up: the first message in each process loads the embedding model, the triage and the index.
        warm = Tally()
        warmers = [threading.Thread(target=run_visit, args=(Http(host, port, 120), random.Random(i), 1, warm))
                   for i in range(max(2, args.workers * 2))]
        for t in warmers:
            t.start()
        for t in warmers:
            t.join()

        print(f"/healthz: {args.visitors} clients for {args.duration:.0f} s ...", flush=True)
        h_lat: list[float] = []
        h_err: list[int] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.duration
        t0 = time.perf_counter()
        threads = [threading.Thread(target=hammer_healthz, args=(host, port, deadline, h_lat, h_err, lock))
                   for _ in range(args.visitors)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        h_elapsed = time.perf_counter() - t0

        print(f"visits: {args.visitors} visitors for {args.duration:.0f} s, {args.messages} messages each ...",
              flush=True)
        tally = Tally()
        counter = [0]
        deadline = time.monotonic() + args.duration
        t0 = time.perf_counter()
        threads = [threading.Thread(target=visitor, args=(host, port, deadline, args.max_visits, args.messages,
                                                          tally, counter, args.seed * 1000 + i))
                   for i in range(args.visitors)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        v_elapsed = time.perf_counter() - t0

        stored = None
        if var_dir is not None:
            stored = stored_patient_messages(var_dir) - warm.acked
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if tmp is not None:
            tmp.cleanup()

    errors = sum(tally.errors.values())
    server = args.url or f"{args.server} on 127.0.0.1:{port} (embedded default: SQLite, local cache)"
    print()
    print(f"server: {server}; {args.visitors} concurrent visitors; {os.cpu_count()} CPUs")
    print(f"{'':26}{'consultation visits':>24}{'/healthz (ceiling)':>24}")
    print(f"{'requests/s':26}{tally.acked / v_elapsed:>18.1f} msg/s{len(h_lat) / h_elapsed:>20.1f} r/s")
    print(f"{'visits/s':26}{tally.visits / v_elapsed:>24.2f}{'':>24}")
    print(f"{'latency p50 (ms)':26}{1000 * percentile(tally.latencies, 0.5):>24.1f}"
          f"{1000 * percentile(h_lat, 0.5):>24.1f}")
    print(f"{'latency p99 (ms)':26}{1000 * percentile(tally.latencies, 0.99):>24.1f}"
          f"{1000 * percentile(h_lat, 0.99):>24.1f}")
    print(f"{'errors':26}{errors:>24}{sum(h_err):>24}")
    print()
    print(f"visits completed {tally.visits}; messages acknowledged {tally.acked}; "
          f"409 after a crisis (expected) {tally.refused_after_crisis}")
    print(f"lost messages (acknowledged but not in the transcript): {tally.lost}")
    if stored is not None:
        print(f"rows stored {stored} = messages acknowledged {tally.acked}: {'yes' if stored == tally.acked else 'NO'}")
    if tally.errors:
        print("errors by kind: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.errors.items())))
    if errors or tally.lost or (stored is not None and stored != tally.acked):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
