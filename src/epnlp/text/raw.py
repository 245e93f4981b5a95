"""Raw articles in: listing the files, decoding their bytes (never guessing silently), article ids.

Every offset in the tables refers to the text `read_article` decodes; every problem with a file is an
`Issue` that names it and, where there is one, the line.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Issue:
    """A problem found in an input file: reject (article skipped), warning or info."""

    severity: str
    problem: str
    message: str
    line: int | None = None


@dataclass(frozen=True)
class RawArticle:
    """A raw article: its decoded text (BOM removed), the encoding used and decode issues."""

    path: Path
    article_id: str
    text: str
    sha256: str
    encoding: str
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def rejected(self) -> bool:
        return any(i.severity == "reject" for i in self.issues)


def slugify(stem: str) -> str:
    """A stable article id from a file name: ASCII lowercase, runs of other chars become `_`."""
    ascii_ = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")
    return slug or "article_" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]


_C1 = re.compile(rb"[\x80-\x9f]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # control characters other than \t \n \v \f \r
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_UTF8_BOM = b"\xef\xbb\xbf"


def _line_of_byte(data: bytes, pos: int) -> int:
    """1-based line number of byte `pos`, counting LF, CRLF and lone CR as line ends."""
    head = data[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def line_at(text: str, pos: int) -> int:
    """1-based line number of character `pos`, counting LF, CRLF and lone CR as line ends."""
    return text.count("\n", 0, pos) + text.count("\r", 0, pos) - text.count("\r\n", 0, pos) + 1


def _too_large(size: int, max_bytes: int) -> Issue:
    return Issue("reject", "too_large", f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes (parse.max_bytes)")


def _decode_utf16(data: bytes) -> tuple[str, str, Issue] | None:
    """Text, encoding and warning of a file with a UTF-16 byte-order mark that decodes as UTF-16."""
    for bom, name in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name)
            except UnicodeDecodeError:
                return None  # not really UTF-16: the 8-bit checks decide
            return text, name, Issue("warning", "encoding", f"file is UTF-16 (byte-order mark {bom.hex(' ')}), not UTF-8; decoded as {name}", 1)
    return None


def _decode_8bit(data: bytes, utf8_name: str) -> tuple[str, str, list[Issue]]:
    """UTF-8 (recorded as `utf8_name`), else cp1252 or ISO-8859-1 with a warning naming the first bad byte."""
    try:
        return data.decode("utf-8"), utf8_name, []
    except UnicodeDecodeError as exc:
        line = _line_of_byte(data, exc.start)
        bad = exc.object[exc.start]
    # Bytes 0x80-0x9f are control characters in ISO-8859-1 but printable in cp1252; cp1252 leaves
    # five of them undefined, so a file using those falls back to ISO-8859-1 (which decodes every byte).
    candidates = ("cp1252", "iso-8859-1") if _C1.search(data) else ("iso-8859-1",)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return text, encoding, [Issue("warning", "encoding", f"not valid UTF-8 (byte 0x{bad:02x} on line {line}); decoded as {encoding}", line)]


def decode(data: bytes, max_bytes: int | None = None) -> tuple[str, str, list[Issue]]:
    """Decode article bytes: UTF-8 (BOM stripped) or, failing that, a recorded fallback.

    Returns (text, encoding, issues). Never guesses silently: UTF-16 (by its BOM) and the 8-bit
    fallbacks (cp1252 when bytes 0x80-0x9f occur, else ISO-8859-1) are warnings; bytes that are not
    text are a reject. Every message names the problem and, where there is one, the line.
    """
    if max_bytes is not None and len(data) > max_bytes:
        return "", "unknown", [_too_large(len(data), max_bytes)]
    if not data:
        return "", "empty", [Issue("reject", "empty", "file is empty (0 bytes)")]
    utf16 = _decode_utf16(data)
    if utf16 is not None:
        text, encoding, issues = utf16[0], utf16[1], [utf16[2]]
    elif b"\x00" in data:
        pos = data.index(b"\x00")
        return "", "binary", [
            Issue("reject", "binary", f"file contains NUL bytes (first at byte {pos:,}): not a text file", _line_of_byte(data, pos))
        ]
    else:
        bom = data.startswith(_UTF8_BOM)
        data = data[len(_UTF8_BOM) :] if bom else data  # the sizes below are of the text after the BOM
        text, encoding, issues = _decode_8bit(data, "utf-8-sig" if bom else "utf-8")
    controls = _CONTROL.findall(text)
    if len(controls) > max(8, len(text) // 100):
        first = line_at(text, _CONTROL.search(text).start())  # type: ignore[union-attr]
        return "", "binary", [
            Issue("reject", "binary", f"{len(controls):,} control characters (first on line {first}): not a text file", first)
        ]
    if not text.strip():
        return text, encoding, [Issue("reject", "blank", f"file holds only whitespace ({len(data):,} bytes, no text)")]
    return text, encoding, issues


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_article(path: Path, max_bytes: int | None = None) -> RawArticle:
    """Read and decode one article file; a file that cannot be read or is too large is a reject.

    The size limit is checked before reading, so an oversized file is never loaded into memory.
    """
    path = Path(path)
    article_id = slugify(path.stem)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            return RawArticle(path, article_id, "", _sha256_file(path), "unknown", (_too_large(size, max_bytes),))
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return RawArticle(path, article_id, "", "", "unknown", (Issue("reject", "unreadable", f"cannot read the file: {reason}"),))
    text, encoding, issues = decode(data, max_bytes)
    return RawArticle(
        path=path,
        article_id=article_id,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        issues=tuple(issues),
    )


def raw_text(path: Path) -> str:
    """The decoded text of an article, as every offset in the tables refers to it."""
    return read_article(path).text


def list_articles(raw_dir: Path, pattern: str = "*.txt") -> list[Path]:
    """Every article file in `raw_dir`, sorted by name (deterministic order).

    A dangling symlink is listed too (reading it gives an `unreadable` reject, not a silent skip).
    """
    return sorted(p for p in Path(raw_dir).glob(pattern) if p.is_file() or (p.is_symlink() and not p.exists()))
