"""Damage a reader survived, as text a person can read: the warnings' wording and the summary line.

Every message pdfminer logs while a file is read becomes one warning of the document
(`recovered_warning`): its page when known, raw bytes replaced by their printable text, cut short.
A fuzzed file can give dozens of them (one per broken operator), so the console never lists them:
`damage_summary` keeps the other warnings as they are and folds the damage into one item,
`damaged: 17 content errors on 4 pages (first: 2, 3, 5), 4 pages skipped (see document.json)`, while
`document.json` keeps every warning. A single short damage warning is kept as it is.
"""

from __future__ import annotations

import re

RECOVERED_PREFIX = "damaged, recovered (pdfminer"
SKIPPED_RE = re.compile(r"^damaged: (\d+) page\(s\) not fully read \((.*)\)$")
PAGE_RE = re.compile(r"\bpage (\d+)")
RECOVERED_PAGE_RE = re.compile(r"^damaged, recovered \(pdfminer, page (\d+):")
TOKEN_DUMP = ": ["  # pdfminer appends the offending tokens (raw bytes) after this
OBJECT_RE = re.compile(r"<PDF\w+\([^)]*\)[^>]*>?")  # pdfminer's reprs quote the objects' raw contents
BYTES_RE = re.compile(r"""b(['"])((?:\\.|(?!\1).)*)\1""")
MAX_MESSAGE_CHARS = 80
MAX_BYTES_SHOWN = 16
MAX_KEPT_CHARS = 120  # one damage warning up to this long is shown as it is
FIRST_PAGES = 3
DETAIL_IN = "document.json"


def _plain_bytes(match: re.Match) -> str:
    """A bytes repr from pdfminer's message (b'Td', b'\\x8f\\x00'): its text when short and
    printable, else a placeholder (raw bytes are never printed)."""
    body = match.group(2)
    if "\\" in body or len(body) > MAX_BYTES_SHOWN or not body.isprintable():
        return "<bytes>"
    return body


def plain_message(message: str) -> str:
    """pdfminer's message (or an error's) without raw bytes, token dumps or control characters, at
    most MAX_MESSAGE_CHARS long."""
    text = message.split(TOKEN_DUMP, 1)[0]
    text = BYTES_RE.sub(_plain_bytes, OBJECT_RE.sub("<PDF object>", text))
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    text = text.replace(";", ",")  # the summary line separates warnings with ";"
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def recovered_warning(message: str, page: int | None = None) -> str:
    """The document warning for one message pdfminer logged (damage it recovered from)."""
    where = f", page {page}" if page is not None else ""
    return f"{RECOVERED_PREFIX}{where}: {plain_message(message)})"


def is_damage(warning: str) -> bool:
    return warning.startswith(RECOVERED_PREFIX) or bool(SKIPPED_RE.match(warning))


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in sorted(numbers)[:FIRST_PAGES])
    return shown + (", ..." if len(numbers) > FIRST_PAGES else "")


def damage_item(damage: list[str], detail_in: str = DETAIL_IN) -> str:
    """All damage warnings of a document folded into one short item, pointing to `detail_in`."""
    errors = [w for w in damage if w.startswith(RECOVERED_PREFIX)]
    error_pages = {int(m.group(1)) for w in errors if (m := RECOVERED_PAGE_RE.match(w))}
    parts = []
    if errors:
        on = f" on {len(error_pages)} page{'s' * (len(error_pages) != 1)} ({_pages(list(error_pages))})"
        parts.append(f"{len(errors)} content error{'s' * (len(errors) != 1)}" + (on if error_pages else ""))
    for w in damage:
        m = SKIPPED_RE.match(w)
        if m:
            skipped = [int(n) for n in PAGE_RE.findall(m.group(2))]
            count = int(m.group(1))
            parts.append(f"{count} page{'s' * (count != 1)} skipped ({_pages(skipped)})")
    see = f" (see {detail_in})" if detail_in else ""
    return f"damaged: {', '.join(parts)}{see}"


def damage_summary(warnings: list[str], detail_in: str = DETAIL_IN) -> list[str]:
    """The warnings as the one summary line shows them: damage folded into one item (where the first
    damage warning was), unless it is a single short warning; the others unchanged. `detail_in` is
    where the full list is ('' when nowhere: `whitepaper tables` writes no file)."""
    damage = [w for w in warnings if is_damage(w)]
    if len(damage) <= 1 and all(len(w) <= MAX_KEPT_CHARS for w in damage):
        return list(warnings)
    first = warnings.index(damage[0])
    rest = [w for w in warnings if not is_damage(w)]
    return rest[:first] + [damage_item(damage, detail_in)] + rest[first:]
