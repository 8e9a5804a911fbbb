"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 and a free port,
keeping every message it receives.

The ``smtp_server`` fixture is registered for every test by
``pytest_plugins`` in tests/conftest.py."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One message as the server got it: envelope and raw bytes."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        """The parsed message (headers decoded, parts walkable)."""
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def text(self) -> str:
        """Every text part, decoded, joined: what a reader could see."""
        parts = [part.get_content() for part in self.message.walk() if part.get_content_maintype() == "text"]
        return "\n".join(parts)


@dataclass
class SMTPServer:
    """The running server: where it listens and what it received."""

    host: str
    port: int
    received: list[Received] = field(default_factory=list)

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """MAIL_* settings pointing at this server."""
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port, "MAIL_TIMEOUT": 5,
                "MAIL_SENDER": "Mødrehjælpen rådgivning <no-reply@moedrehjaelpen.dk>", **overrides}


class _Collect:
    """aiosmtpd handler: keep each message."""

    def __init__(self, server: SMTPServer):
        """Collect into ``server.received``."""
        self.server = server

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        """Accept and keep the message."""
        self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(**smtp_kwargs: Any) -> tuple[SMTPServer, Controller]:
    """Start a server (``smtp_kwargs`` go to aiosmtpd's SMTP, e.g. an
    authenticator); the caller stops the controller."""
    server = SMTPServer("127.0.0.1", free_port())
    controller = Controller(_Collect(server), hostname=server.host, port=server.port, **smtp_kwargs)
    controller.start()
    return server, controller


@pytest.fixture(name="smtp_server")
def fixture_smtp_server() -> Iterator[SMTPServer]:
    """A real SMTP server for one test."""
    server, controller = start()
    try:
        yield server
    finally:
        controller.stop()
