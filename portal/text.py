"""Input cleaning: every text field of every form goes through one of these."""

from __future__ import annotations

import re
import unicodedata

# Control characters (Cc) except tab and newline; NUL included. Also the
# explicit bidi embeddings, overrides and isolates, which could make text
# shown to staff read differently from what was sent (marks like U+200F stay).
_CONTROL = ({chr(c) for c in range(0x20) if chr(c) not in "\t\n"} | {chr(0x7F)}
            | {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)})


def clean_text(value: str | None) -> str | None:
    """Normalise line endings and drop NUL, other control characters and
    bidi overrides. Everything else (any script, emoji, combining marks) is
    kept exactly."""
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch not in _CONTROL
                    and not (unicodedata.category(ch) == "Cc" and ch not in "\t\n"))
    return value.strip()


def clean_line(value: str | None) -> str | None:
    """One line of text: cleaned, inner whitespace runs folded."""
    value = clean_text(value)
    return re.sub(r"\s+", " ", value) if value is not None else None


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»”’"


def paragraphs_with_links(value: str | None):
    """Plain text shown safely: escaped, paragraphs at blank lines, line
    breaks kept, and http(s) addresses (or www.) as links. Nothing the
    writer typed becomes markup; other schemes (javascript:) stay text."""
    from markupsafe import Markup, escape
    text = clean_text(value) or ""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        pieces, pos = [], 0
        for match in _URL.finditer(block):
            url = match.group(0).rstrip(_TRAILING)
            href = url if url.lower().startswith(("http://", "https://")) else "https://" + url
            pieces += [escape(block[pos:match.start()]),
                       Markup('<a href="{}" rel="nofollow noopener noreferrer">{}</a>').format(href, url)]
            pos = match.start() + len(url)
        pieces.append(escape(block[pos:]))
        body = Markup("").join(pieces).replace("\n", Markup("<br>\n"))
        if body.strip():
            paragraphs.append(Markup('<p dir="auto">{}</p>').format(body))
    return Markup("\n").join(paragraphs)
