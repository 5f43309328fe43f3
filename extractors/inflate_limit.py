"""A ceiling on the bytes pdfminer inflates from a PDF's streams, enforced while decoding.

pdfminer decodes a stream in one call (`zlib.decompress`, `lzwdecode`, `rldecode` in
`pdfminer.pdftypes`): a 300 KB stream of zeros inflates to 300 MB before anyone can look at it (a
decompression bomb). `install()` replaces those three names in `pdfminer.pdftypes` (and its
byte-at-a-time, quadratic `decompress_corrupted`) with versions that decode in chunks and stop, with
`ContentTooLarge`, as soon as one stream's output passes the per-stream limit or the document's
streams together pass the document limit. Output of the other filters is never larger than their
input (ASCII85, ASCIIHex) or is not decoded on our path (images: DCT, JPX, JBIG2, CCITT).

Limits apply inside `limited(...)`; outside it decoding is unbounded, as in pdfminer.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from pdfminer import pdftypes
from pdfminer.lzw import LZWDecoder

MB = 1 << 20
CHUNK = 1 << 20  # bytes inflated per step; the most a bomb costs past the limit
CRC_TAIL = 3  # pdfminer's rule: an error in the last bytes is a bad checksum, not lost data
RL_EOD = 128
TOO_LARGE = "content too large"  # how every reason of this module starts


class ContentTooLarge(BaseException):
    """A stream (scope "stream") or a document's streams (scope "document") inflate past the limit.

    A BaseException, like KeyboardInterrupt: pdfminer and pdfplumber catch `Exception` broadly in
    places and would otherwise carry on with a half-decoded stream."""

    def __init__(self, scope: str, limit_bytes: int):
        super().__init__(f"{scope} inflates past {limit_bytes / MB:g} MB")
        self.scope = scope
        self.limit_bytes = limit_bytes

    @property
    def reason(self) -> str:
        if self.scope == "stream":
            return f"{TOO_LARGE} (a stream inflates past {self.limit_bytes / MB:g} MB)"
        return f"{TOO_LARGE} (streams inflate past {self.limit_bytes / MB:g} MB in total)"


class Tally:
    """Bytes inflated for one document; `shared()` makes one that forked page workers add to."""

    def __init__(self, value=None):
        self._value = value  # a multiprocessing.Value when shared between processes
        self._local = 0

    @classmethod
    def shared(cls) -> Tally:
        import multiprocessing

        return cls(multiprocessing.get_context("fork").Value("q", 0))

    def add(self, n: int) -> int:
        if self._value is None:
            self._local += n
            return self._local
        with self._value.get_lock():
            self._value.value += n
            return self._value.value


@dataclass
class _Limits:
    stream_bytes: int
    document_bytes: int | None
    tally: Tally | None


_active: list[_Limits] = []  # innermost last


@contextlib.contextmanager
def limited(stream_bytes: int, document_bytes: int | None = None, tally: Tally | None = None) -> Iterator[None]:
    """Decoding inside this block raises ContentTooLarge past `stream_bytes` for one stream, or past
    `document_bytes` for everything added to `tally`."""
    install()
    _active.append(_Limits(int(stream_bytes), document_bytes, tally or Tally()))
    try:
        yield
    finally:
        _active.pop()


class _Meter:
    """Counts one stream's output against the active limits."""

    def __init__(self):
        self.limits = _active[-1] if _active else None
        self.size = 0

    def charge(self, n: int) -> None:
        self.size += n
        lim = self.limits
        if lim is None or not n:
            return
        if self.size > lim.stream_bytes:
            raise ContentTooLarge("stream", lim.stream_bytes)
        if lim.document_bytes is not None and lim.tally.add(n) > lim.document_bytes:
            raise ContentTooLarge("document", lim.document_bytes)


def inflate(data: bytes) -> bytes:
    """zlib.decompress(data), in chunks under the limits; zlib.error when the stream is incomplete."""
    meter, out = _Meter(), []
    d = zlib.decompressobj()
    pending = data
    while True:
        chunk = d.decompress(pending, CHUNK)
        meter.charge(len(chunk))
        out.append(chunk)
        pending = d.unconsumed_tail
        if d.eof or not (pending or chunk):
            break
    if not d.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return b"".join(out)


def inflate_corrupted(data: bytes) -> bytes:
    """pdfminer's `decompress_corrupted` (what a damaged stream gives up to its error), in linear time
    and under the limits: byte by byte, as pdfminer does, to find where the damage starts."""
    meter, out = _Meter(), []
    d = zlib.decompressobj()
    i = 0
    try:
        for i in range(len(data)):
            chunk = d.decompress(data[i : i + 1])
            meter.charge(len(chunk))
            out.append(chunk)
    except zlib.error:
        if i < len(data) - CRC_TAIL:
            raise
        pdftypes.logger.warning("Data-loss while decompressing corrupted data")
    return b"".join(out)


def lzw_decode(data: bytes) -> bytes:
    meter, out = _Meter(), []
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        meter.charge(len(chunk))
        out.append(chunk)
    return b"".join(out)


def rl_decode(data: bytes) -> bytes:
    """RunLengthDecode (PDF 32000 7.4.5) under the limits: a run of 2 bytes writes up to 128."""
    meter, out = _Meter(), []
    i = 0
    while i < len(data):
        length = data[i]
        if length == RL_EOD:
            break
        if length < RL_EOD:
            piece = data[i + 1 : i + 2 + length]
            i += 2 + length
        else:
            piece = data[i + 1 : i + 2] * (257 - length)
            i += 2
        if not piece or (length < RL_EOD and len(piece) < length + 1):
            raise ValueError("run-length data ends inside a run")  # pdfminer's own decoder raises too
        meter.charge(len(piece))
        out.append(piece)
    return b"".join(out)


_ZLIB = SimpleNamespace(decompress=inflate, decompressobj=zlib.decompressobj, error=zlib.error)


def install() -> None:
    """Route pdfminer's stream decoding through the functions above (idempotent)."""
    pdftypes.zlib = _ZLIB
    pdftypes.decompress_corrupted = inflate_corrupted
    pdftypes.lzwdecode = lzw_decode
    pdftypes.rldecode = rl_decode
