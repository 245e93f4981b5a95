"""I/O at the edges: decoding raw articles, atomic writes, reading tables and params."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from epnlp.schema import Table


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
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")
    return slug or "article_" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]


_C1 = re.compile(rb"[\x80-\x9f]")


def decode(data: bytes, max_bytes: int | None = None) -> tuple[str, str, list[Issue]]:
    """Decode article bytes: UTF-8 (BOM stripped) or, failing that, a recorded 8-bit fallback.

    Returns (text, encoding, issues). Never guesses silently: any fallback is a warning.
    """
    issues: list[Issue] = []
    if max_bytes is not None and len(data) > max_bytes:
        return "", "unknown", [
            Issue("reject", "too_large", f"file is {len(data):,} bytes, over the limit of {max_bytes:,}")
        ]
    if not data:
        return "", "empty", [Issue("reject", "empty", "file is empty (0 bytes)")]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return "", "binary", [Issue("reject", "binary", "file contains NUL bytes: not text", line)]
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = "utf-8-sig"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        # Bytes 0x80-0x9f are control characters in ISO-8859-1 but printable in cp1252.
        encoding = "cp1252" if _C1.search(data) else "iso-8859-1"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return "", "binary", [Issue("reject", "binary", "not decodable as UTF-8 or cp1252", line)]
        issues.append(
            Issue(
                "warning",
                "encoding",
                f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x}); decoded as {encoding}",
                line,
            )
        )
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        return "", "binary", [Issue("reject", "binary", f"{controls} control characters: not text")]
    if not text.strip():
        return text, encoding, [Issue("reject", "blank", "file holds only whitespace")]
    return text, encoding, issues


def read_article(path: Path, max_bytes: int | None = None) -> RawArticle:
    """Read and decode one article file."""
    data = Path(path).read_bytes()
    text, encoding, issues = decode(data, max_bytes)
    return RawArticle(
        path=Path(path),
        article_id=slugify(Path(path).stem),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        issues=tuple(issues),
    )


def raw_text(path: Path) -> str:
    """The decoded text of an article, as every offset in the tables refers to it."""
    return read_article(path).text


def list_articles(raw_dir: Path, pattern: str = "*.txt") -> list[Path]:
    """Every article file in `raw_dir`, sorted by name (deterministic order)."""
    return sorted(p for p in Path(raw_dir).glob(pattern) if p.is_file())


def _atomic(path: Path, write) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically (temp file in the same folder, then rename)."""
    _atomic(path, lambda fh: fh.write(text))


def write_json(path: Path, obj: Any) -> None:
    """Write JSON atomically with sorted keys (deterministic)."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def write_table(df: pd.DataFrame, table: Table, out_dir: Path) -> Path:
    """Validate `df` against `table`'s schema, then write it as CSV atomically."""
    df = table.conform(df)
    path = Path(out_dir) / table.file
    _atomic(path, lambda fh: df.to_csv(fh, index=False, lineterminator="\n", float_format="%.6g"))
    return path


def read_table(table: Table, in_dir: Path) -> pd.DataFrame:
    """Read a table written by `write_table`, typed by its schema."""
    df = pd.read_csv(
        Path(in_dir) / table.file,
        dtype={c: "string" for c, k in table.columns.items() if k == "str"},
        keep_default_na=False,
        na_values={c: [""] for c, k in table.columns.items() if k != "str"},
    )
    for c, k in table.columns.items():
        if k == "str" and c in table.nullable:
            df[c] = df[c].replace("", pd.NA)
    return table.conform(df)


def load_params(path: Path = Path("params.yaml")) -> dict:
    """Load `params.yaml`."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)
