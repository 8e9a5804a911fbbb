"""Run Debian's wrk and read its output."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"
HEADERS = ("X-Forwarded-Proto: https", "X-Forwarded-For: 192.0.2.1")


def available() -> bool:
    return Path(WRK).exists()


def run(url: str, *, seconds: float, connections: int, threads: int, script: str | None = None,
        script_args: tuple[str, ...] = ()) -> str:
    """wrk's whole output (it ends its run itself after ``seconds``)."""
    args = [WRK, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s"]
    for header in HEADERS if script is None else ():
        args += ["-H", header]
    if script:
        args += ["-s", str(HERE / script)]
    args += [url, *(("--", *script_args) if script_args else ())]
    done = subprocess.run(args, capture_output=True, text=True, check=True,  # noqa: S603 - wrk, our arguments
                          timeout=seconds + 90)
    return done.stdout


def parse(output: str) -> dict:
    """Requests/s, non-2xx/3xx responses, socket errors and the BENCH line
    a script printed, from wrk's output."""
    found: dict = {"requests_per_second": None, "non_2xx": 0, "socket_errors": 0}
    match = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if match:
        found["requests_per_second"] = float(match.group(1))
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if match:
        found["non_2xx"] = int(match.group(1))
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if match:
        found["socket_errors"] = sum(int(n) for n in match.groups())
    match = re.search(r"^BENCH (\{.*\})$", output, re.M)
    if match:
        found["script"] = json.loads(match.group(1))
    return found


def requests_per_second(url: str, *, seconds: float, connections: int = 32, threads: int = 2) -> float:
    """Requests/s of plain GETs of ``url``; every answer must be a 2xx/3xx."""
    found = parse(run(url, seconds=seconds, connections=connections, threads=threads))
    if found["requests_per_second"] is None or found["non_2xx"] or found["socket_errors"]:
        raise RuntimeError(f"wrk against {url}: {found}")
    return found["requests_per_second"]


def submissions(base: str, *, seconds: float, clients: int) -> dict:
    """The submit script's counts: one wrk thread per client (see submit.lua)."""
    found = parse(run(f"{base}/da/ask", seconds=seconds, connections=clients, threads=clients,
                      script="submit.lua"))
    if "script" not in found:
        raise RuntimeError("the submit script printed no BENCH line")
    return found["script"]
