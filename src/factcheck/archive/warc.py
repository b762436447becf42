"""The capture of what verify saw, as WARC 1.1 (warcio), and reading it back.

A capture holds, in this order: a ``warcinfo`` record; a ``resource`` record of each claims
file (``urn:factcheck:claims:<path>``); a ``response`` record for every HTTP response (each
redirect hop its own, the body as it came over the wire, ``Content-Encoding`` kept); and a
``metadata`` record, the manifest (``urn:factcheck:manifest``): the capture date, the claims
files and every URL with the SHA-256 of its body. A body the reader did not read to its end
(over the body cap) is marked ``WARC-Truncated: length``.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from factcheck.errors import FactcheckError

MANIFEST_URI = "urn:factcheck:manifest"
CLAIMS_URI = "urn:factcheck:claims:"
#: Hop-by-hop and length headers: the body is stored decoded of its transfer coding.
_DROPPED = frozenset({"transfer-encoding", "content-length", "connection", "keep-alive"})


@dataclass(frozen=True)
class Captured:
    """One HTTP response as fetched."""

    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    #: The body was read to its end.
    complete: bool
    fetched: datetime


@dataclass
class Capture:
    """A capture read back: responses by the URL requested, and what the manifest says."""

    created: datetime
    responses: dict[str, Captured] = field(default_factory=dict)
    claims_files: dict[str, bytes] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> str:
        return self.created.date().isoformat()


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_capture(
    target: Path,
    responses: list[Captured],
    claims_files: dict[str, bytes],
    created: datetime,
    *,
    software: str,
    left_out: dict[str, str] | None = None,
) -> None:
    """Write the capture to ``target`` (gzip-compressed WARC 1.1), atomically."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    info = writer.create_warcinfo_record(
        target.name,
        {"software": software, "format": "WARC File Format 1.1", "isPartOf": "factcheck capture"},
    )
    writer.write_record(info)
    for name, data in claims_files.items():
        record = writer.create_warc_record(
            CLAIMS_URI + name,
            "resource",
            payload=BytesIO(data),
            length=len(data),
            warc_content_type="application/yaml",
            warc_headers_dict={"WARC-Date": stamp},
        )
        writer.write_record(record)
    manifest: dict[str, Any] = {
        "created": created.isoformat(timespec="seconds"),
        "claims_files": {name: _digest(data) for name, data in claims_files.items()},
        "urls": {},
        "left_out": dict(left_out or {}),
    }
    for item in responses:
        headers = [(k, v) for k, v in item.headers if k.lower() not in _DROPPED]
        headers.append(("Content-Length", str(len(item.body))))
        http = StatusAndHeaders(f"{item.status} {item.reason}", headers, protocol="HTTP/1.1")
        extra = {"WARC-Date": item.fetched.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
        if not item.complete:
            extra["WARC-Truncated"] = "length"
        record = writer.create_warc_record(
            item.url,
            "response",
            payload=BytesIO(item.body),
            length=len(item.body),
            http_headers=http,
            warc_headers_dict=extra,
        )
        writer.write_record(record)
        manifest["urls"][item.url] = {
            "status": item.status,
            "digest": _digest(item.body),
            "complete": item.complete,
        }
    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
    record = writer.create_warc_record(
        MANIFEST_URI,
        "metadata",
        payload=BytesIO(data),
        length=len(data),
        warc_content_type="application/json",
        warc_headers_dict={"WARC-Date": stamp},
    )
    writer.write_record(record)
    _write_bytes(target, buffer.getvalue())


def _write_bytes(target: Path, data: bytes) -> None:
    import contextlib
    import os
    import tempfile

    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temp)
        raise FactcheckError(f"cannot write: {exc.strerror}", location=str(target)) from None


def read_capture(path: Path) -> Capture:
    """Every record of a capture; a file that is not a whole WARC is exit 2, one line."""
    try:
        with path.open("rb") as stream:
            return _read(stream, str(path))
    except OSError as exc:
        raise FactcheckError(f"cannot read: {exc.strerror or exc}", location=str(path)) from None


def _read(stream: Any, where: str) -> Capture:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    head = stream.read(4)
    stream.seek(0)
    if not head.startswith(b"\x1f\x8b") and not head.startswith(b"WARC"):
        raise FactcheckError(
            "not a WARC file (a capture is made by factcheck capture)", location=where
        )
    capture = Capture(created=datetime.now(UTC))
    first: datetime | None = None
    count = 0
    try:
        for record in ArchiveIterator(stream, check_digests=True):
            count += 1
            kind = record.rec_type
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            date = _parse_date(record.rec_headers.get_header("WARC-Date"))
            first = date if first is None or (date is not None and date < first) else first
            if kind == "response" and record.http_headers is not None:
                body = record.content_stream().read()
                http = record.http_headers
                status_line = http.get_statuscode() or "0"
                capture.responses.setdefault(
                    uri,
                    Captured(
                        url=uri,
                        status=int(status_line),
                        reason=http.statusline.partition(" ")[2],
                        headers=list(http.headers),
                        body=body,
                        complete=record.rec_headers.get_header("WARC-Truncated") is None,
                        fetched=date or capture.created,
                    ),
                )
            elif kind == "resource" and uri.startswith(CLAIMS_URI):
                capture.claims_files[uri[len(CLAIMS_URI) :]] = record.content_stream().read()
            elif kind == "metadata" and uri == MANIFEST_URI:
                capture.manifest = json.loads(record.content_stream().read())
            else:
                record.content_stream().read()
    except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError, AttributeError) as exc:
        # warcio meets a record cut in the middle with whichever of these its parser hits
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FactcheckError(
            f"not a complete WARC file (truncated or damaged: {reason})", location=where
        ) from None
    if count == 0:
        raise FactcheckError("not a WARC file: no records in it", location=where)
    if not capture.manifest:
        raise FactcheckError(
            "not a complete WARC file (the manifest that ends a capture is missing: "
            "truncated, or not made by factcheck capture)",
            location=where,
        )
    created = capture.manifest.get("created")
    capture.created = _parse_date(created) or first or capture.created
    return capture


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
