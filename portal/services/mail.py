"""Outgoing mail: build a message, send it over SMTP, or write it to the
outbox (no server configured, or a dry run).

``settings`` is a plain mapping of the MAIL_* configuration (the caller
passes ``current_app.config``); nothing here reads the request or the app.
Bodies are never logged: a mail is named in the log by its Message-ID and
number of recipients only."""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# How a service renders a template: flask.render_template, passed in by the
# caller, so services stay free of the web layer.
Render = Callable[..., str]


@dataclass(frozen=True)
class Mail:
    """One message: plain text, optionally with an HTML alternative."""

    to: list[str]
    subject: str
    text: str
    html: str | None = None
    reply_to: str | None = None


def build(settings: Mapping[str, Any], mail: Mail) -> EmailMessage:
    """The MIME message: text/plain first, text/html as its alternative."""
    if not mail.to:
        raise ValueError("a mail needs at least one recipient")
    sender = settings["MAIL_SENDER"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(mail.to)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    # The sender's domain, not this machine's name, goes into the Message-ID.
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    # Quoted-printable keeps the wire 7-bit, whatever the relay supports.
    message.set_content(mail.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def _domain(sender: str) -> str:
    """The domain part of a sender like 'Name <user@example.org>'."""
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def send(settings: Mapping[str, Any], mail: Mail, *, dry_run: bool = False) -> str:
    """Send ``mail`` and return its Message-ID; without a server (or on a
    dry run) write it to the outbox and return the file's path."""
    message = build(settings, mail)
    if dry_run or not settings.get("MAIL_SERVER"):
        path = write_to_outbox(settings, message)
        if not dry_run and settings.get("ENV") == "production":
            log.warning("PORTAL_MAIL_SERVER is not set: mail %s was written to the outbox", message["Message-ID"])
        return str(path)
    _deliver(settings, message)
    log.info("mail %s sent to %d recipients", message["Message-ID"], len(mail.to))
    return str(message["Message-ID"])


def write_to_outbox(settings: Mapping[str, Any], message: EmailMessage) -> Path:
    """Write the message as an .eml file into MAIL_OUTBOX (created if missing)."""
    outbox = Path(settings["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    path = outbox / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.write_bytes(message.as_bytes())
    return path


def _deliver(settings: Mapping[str, Any], message: EmailMessage) -> None:
    """Hand the message to the configured SMTP server."""
    host, port = settings["MAIL_SERVER"], int(settings.get("MAIL_PORT") or 25)
    timeout = float(settings.get("MAIL_TIMEOUT") or 10)
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if settings.get("MAIL_USE_TLS") and not settings.get("MAIL_USE_SSL"):
            smtp.starttls(context=context)
        if settings.get("MAIL_USERNAME"):
            smtp.login(settings["MAIL_USERNAME"], settings.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
