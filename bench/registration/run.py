"""Registration under load, against the server as deployed: gunicorn on PostgreSQL.

Creates a throwaway database, migrates it, makes a published meeting with ``--capacity``
seats, starts gunicorn (``--workers`` sync workers) and a local SMTP server, then fires
``--requests`` registrations from ``--clients`` threads at once. Each registration is what a
browser does: GET the form (CSRF cookie and token), then POST it. Prints throughput, latency
percentiles and the final counts, which must be exactly ``capacity`` confirmed and the rest
waitlisted; exits 1 otherwise. Everything it starts, it stops; the database is dropped.

    .venv/bin/python bench/registration/run.py [--requests 1000] [--capacity 250]

Only the loopback interface is used; the request loop is bounded by ``--requests`` and by a
per-request timeout.
"""

import argparse
import http.client
import multiprocessing
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TIMEOUT = 60  # seconds per HTTP request

SETUP = """
from datetime import timedelta
from django.utils import timezone
from treffpunkt.meetings.models import Meeting
from treffpunkt.network.models import ConsentPurpose, ConsentText, Organisation
for purpose in ConsentPurpose.values:
    ConsentText.objects.create(purpose=purpose, version="1", text="Text " + purpose)
host = Organisation.objects.create(name="Glashütte Lasttest", kind="company")
starts = timezone.now() + timedelta(days=30)
meeting = Meeting.objects.create(
    title="Lasttest", host=host, venue="Halle 1", starts_at=starts,
    ends_at=starts + timedelta(hours=4), capacity={capacity},
    status=Meeting.Status.PUBLISHED,
)
print(meeting.pk, host.pk)
"""


class Mailbox:
    """Counts what the SMTP server receives (the confirmation and waitlist e-mails)."""

    def __init__(self, counter):
        self.counter = counter

    async def handle_DATA(self, server, session, envelope):
        with self.counter.get_lock():
            self.counter.value += 1
        return "250 Message accepted"


def smtp_sink(port: int, counter, ready, stop) -> None:
    """A local SMTP server in its own process: the server's requests wait for its replies,
    so it must not compete with the client threads for this process's interpreter lock."""
    controller = Controller(Mailbox(counter), hostname=HOST, port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def run(command: list[str], env: dict) -> str:
    return subprocess.run(
        command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def wait_for_server(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 seconds")


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def register(port: int, meeting_pk: int, organisation_pk: int, i: int) -> dict:
    """One browser's registration: GET the form, POST it; timings in seconds."""
    path = f"/meetings/{meeting_pk}/register/"
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    connection.request("GET", path)
    response = connection.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    connection.close()
    got_form = time.perf_counter()
    token = CSRF_INPUT.search(html)
    if response.status != 200 or not token or not cookie.startswith("csrftoken="):
        return {"error": f"GET {response.status}", "total": got_form - started}
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "first_name": f"Last{i}",
            "last_name": "Test",
            "email": f"last{i}@bench.example",
            "organisation": organisation_pk,
            "topics": "Energie und Fachkräfte",
        }
    )
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    connection.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = connection.getresponse()
    response.read()
    location = response.getheader("Location", "")
    connection.close()
    done = time.perf_counter()
    result = {"get": got_form - started, "post": done - got_form, "total": done - started}
    if response.status != 302 or not location.endswith(f"{path}thanks/"):
        result["error"] = f"POST {response.status}"
    return result


def percentiles(values: list[float]) -> str:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    ms = {"p50": cuts[49], "p90": cuts[89], "p99": cuts[98], "max": max(values)}
    return "  ".join(f"{name} {1000 * value:7.1f} ms" for name, value in ms.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="registrations to fire")
    parser.add_argument("--capacity", type=int, default=250, help="seats of the meeting")
    parser.add_argument("--clients", type=int, default=50, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="server, no database"
    )
    args = parser.parse_args()

    database = f"treffpunkt_bench_{os.getpid()}"
    admin_url = f"{args.postgres}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    mails, smtp_ready, smtp_stop = (
        multiprocessing.Value("i", 0),
        multiprocessing.Event(),
        multiprocessing.Event(),
    )
    smtp_port = free_port()
    smtp = multiprocessing.Process(target=smtp_sink, args=(smtp_port, mails, smtp_ready, smtp_stop))
    smtp.start()
    smtp_ready.wait(timeout=30)
    server = None
    data_dir = tempfile.TemporaryDirectory(prefix="treffpunkt-bench-")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.postgres}/{database}",
        "TREFFPUNKT_DATA_DIR": data_dir.name,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(smtp_port),
        "SITE_URL": f"http://{HOST}:{port}",
        "LOG_LEVEL": "ERROR",
    }
    try:
        run([str(BIN / "treffpunkt"), "migrate", "-v0"], env)
        meeting_pk, organisation_pk = map(
            int,
            run(
                [
                    str(BIN / "treffpunkt"),
                    "shell",
                    "-v0",
                    "-c",
                    SETUP.format(capacity=args.capacity),
                ],
                env,
            )
            .strip()
            .splitlines()[-1]
            .split(),
        )
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "treffpunkt.wsgi:application",
                f"--workers={args.workers}",
                f"--bind={HOST}:{port}",
                "--log-level=warning",
                "--backlog=2048",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_for_server(port, time.monotonic() + 60)
        for _ in range(2 * args.workers):  # every worker loads its URLs and templates once
            warm_up = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
            warm_up.request("GET", f"/meetings/{meeting_pk}/register/")
            warm_up.getresponse().read()
            warm_up.close()

        print(
            f"{args.requests} registrations from {args.clients} clients against gunicorn "
            f"({args.workers} workers) on PostgreSQL, capacity {args.capacity}"
        )
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(
                pool.map(
                    lambda i: register(port, meeting_pk, organisation_pk, i), range(args.requests)
                )
            )
        wall = time.perf_counter() - started

        with psycopg.connect(env["DATABASE_URL"]) as db:
            rows = db.execute(
                "SELECT status, count(*) FROM meetings_registration WHERE meeting_id = %s "
                "GROUP BY status",
                [meeting_pk],
            ).fetchall()
        counts = dict(rows)
        errors = [r["error"] for r in results if "error" in r]
        ok = [r for r in results if "error" not in r]
        confirmed, waitlisted = counts.get("confirmed", 0), counts.get("waitlisted", 0)
        expected = (
            min(args.capacity, args.requests),
            max(0, args.requests - args.capacity),
        )
        print(f"wall time            {wall:8.2f} s")
        print(
            f"throughput           {args.requests / wall:8.1f} registrations/s "
            f"({2 * args.requests / wall:.1f} HTTP requests/s: GET form + POST)"
        )
        print(f"errors               {len(errors):8d} {sorted(set(errors))}")
        if ok:
            print(f"POST latency         {percentiles([r['post'] for r in ok])}")
            print(f"GET+POST latency     {percentiles([r['total'] for r in ok])}")
        print(f"confirmed            {confirmed:8d} (expected {expected[0]})")
        print(f"waitlisted           {waitlisted:8d} (expected {expected[1]})")
        print(f"e-mails received     {mails.value:8d} (expected {args.requests})")
        passed = (
            not errors
            and (confirmed, waitlisted) == expected
            and sum(counts.values()) == args.requests
            and mails.value == args.requests
        )
        print("PASS" if passed else "FAIL")
        return 0 if passed else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        smtp_stop.set()
        smtp.join(timeout=30)
        data_dir.cleanup()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
