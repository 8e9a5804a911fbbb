"""Start and stop gunicorn on a free port, with the portal's production
settings (portal/gunicorn_conf.py sizes the workers), and a tiny HTTP
client that keeps its cookies (the session cookie is Secure: a cookie jar
would not send it over plain http, as nginx's TLS is not here)."""

from __future__ import annotations

import base64
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# What nginx adds in production (PORTAL_TRUSTED_PROXIES=1): the bench plays
# nginx, so every simulated family can come from an address of its own.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, redis_url: str | None, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of a production instance behind nginx, with fresh
    secrets. Nothing here loosens a limit; ``extra`` is what a bench adds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "WEB_CONCURRENCY"))}
    env.update({
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(48),
        "PORTAL_RECEIPT_PEPPER": secrets.token_urlsafe(32),
        "PORTAL_DATA_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_ALLOW_SQLITE": "1",
        "PORTAL_TRUSTED_PROXIES": "1",
        "PORTAL_MAIL_OUTBOX": str(workdir / "outbox"),
        "PYTHONPATH": str(ROOT),
    })
    if redis_url:
        env["PORTAL_REDIS_URL"] = redis_url
    env.update(extra)
    return env


def sizing(env: dict[str, str]) -> dict[str, int]:
    """The (workers, threads) gunicorn_conf.py picks for this environment."""
    code = ("import json, os; from portal.gunicorn_conf import workers, threads; "
            "print(json.dumps({'workers': workers, 'threads': threads}))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


@contextmanager
def gunicorn(app: str, env: dict[str, str], *, probe: str = "/healthz", log: Path | None = None) -> Iterator[str]:
    """Serve ``app`` ("wsgi:app") on a free port; yield its base URL."""
    port = free_port()
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(  # noqa: S603 - our own gunicorn, our own arguments
        [GUNICORN, "-c", "python:portal.gunicorn_conf", "--bind", f"127.0.0.1:{port}", "--no-control-socket", app],
        env={**env, "PORT": str(port)}, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, port, probe)
        yield base
    finally:
        # Quick shutdown (the figures are taken); what still lingers after a
        # few seconds (workers closing idle keep-alive connections) is killed.
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if log:
            out.close()  # type: ignore[union-attr]


def warm(base: str, paths: tuple[str, ...], times: int = 10) -> None:
    """A few GETs of each page first: every worker compiles its templates
    and opens its connections before anything is timed."""
    client = Client(base)
    for _ in range(times):
        for path in paths:
            client.get(path)


def _wait_until_up(proc: subprocess.Popen, port: int, probe: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            status, _, _ = Client(f"http://127.0.0.1:{port}").get(probe)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


class Client:
    """One keep-alive connection with its own cookies, as a browser behind nginx."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict[str, str], str]:
        headers = dict(PROXY_HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Sec-Fetch-Site"] = "same-origin"  # what a browser sends with its own forms
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for raw in response.headers.get_all("Set-Cookie") or []:
            name, _, value = raw.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, dict(response.headers), text

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post(self, path: str, body: str) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, body)
