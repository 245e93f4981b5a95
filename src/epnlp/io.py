"""I/O at the edges: decoding raw articles, atomic writes, reading tables and params."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
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
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # control characters other than \t \n \v \f \r
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _line_of_byte(data: bytes, pos: int) -> int:
    """1-based line number of byte `pos`, counting LF, CRLF and lone CR as line ends."""
    head = data[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _line_of_char(text: str, pos: int) -> int:
    """1-based line number of character `pos`, counting LF, CRLF and lone CR as line ends."""
    return text.count("\n", 0, pos) + text.count("\r", 0, pos) - text.count("\r\n", 0, pos) + 1


def _too_large(size: int, max_bytes: int) -> Issue:
    return Issue("reject", "too_large", f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes (parse.max_bytes)")


def decode(data: bytes, max_bytes: int | None = None) -> tuple[str, str, list[Issue]]:
    """Decode article bytes: UTF-8 (BOM stripped) or, failing that, a recorded fallback.

    Returns (text, encoding, issues). Never guesses silently: UTF-16 (by its BOM) and the 8-bit
    fallbacks (cp1252 when bytes 0x80-0x9f occur, else ISO-8859-1) are warnings; bytes that are not
    text are a reject. Every message names the problem and, where there is one, the line.
    """
    issues: list[Issue] = []
    if max_bytes is not None and len(data) > max_bytes:
        return "", "unknown", [_too_large(len(data), max_bytes)]
    if not data:
        return "", "empty", [Issue("reject", "empty", "file is empty (0 bytes)")]
    text: str | None = None
    encoding = "utf-8"
    for bom, name in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name)
            except UnicodeDecodeError:
                break  # not really UTF-16: the checks below decide
            encoding = name
            issues.append(Issue("warning", "encoding", f"file is UTF-16 (byte-order mark {bom.hex(' ')}), not UTF-8; decoded as {name}", 1))
            break
    if text is None:
        if b"\x00" in data:
            pos = data.index(b"\x00")
            return "", "binary", [
                Issue("reject", "binary", f"file contains NUL bytes (first at byte {pos:,}): not a text file", _line_of_byte(data, pos))
            ]
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            encoding = "utf-8-sig"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_of_byte(data, exc.start)
            # Bytes 0x80-0x9f are control characters in ISO-8859-1 but printable in cp1252; cp1252
            # leaves five of them undefined, so a file using those falls back to ISO-8859-1.
            candidates = ("cp1252", "iso-8859-1") if _C1.search(data) else ("iso-8859-1",)
            for encoding in candidates:
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            assert text is not None  # ISO-8859-1 decodes every byte
            issues.append(
                Issue(
                    "warning",
                    "encoding",
                    f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} on line {line}); decoded as {encoding}",
                    line,
                )
            )
    controls = _CONTROL.findall(text)
    if len(controls) > max(8, len(text) // 100):
        first = _line_of_char(text, _CONTROL.search(text).start())  # type: ignore[union-attr]
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


# mkstemp creates files readable by the owner only; outputs get the usual mode (0666 & ~umask).
_UMASK = os.umask(0o022)
os.umask(_UMASK)
TMP_SUFFIX = ".tmp"


def _stage(path: Path, write, binary: bool = False) -> str:
    """Write a hidden temp file beside `path` (same folder, so the rename is atomic); return its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _commit(staged: list[tuple[str, Path]]) -> None:
    """Rename every staged temp file over its target, then sync the folders."""
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            _unlink(tmp)
        raise
    for folder in {p.parent for _, p in staged}:
        _fsync_dir(folder)


def _atomic(path: Path, write) -> None:
    """Write `path` atomically: a reader (or a crash) sees the old file or the new one, never a part."""
    path = Path(path)
    _commit([(_stage(path, write), path)])


def write_bytes(path: Path, data: bytes) -> None:
    """Write a binary file atomically (temp file in the same folder, then rename)."""
    path = Path(path)
    _commit([(_stage(path, lambda fh: fh.write(data), binary=True), path)])


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically (temp file in the same folder, then rename)."""
    _atomic(path, lambda fh: fh.write(text))


def write_if_changed(path: Path, text: str) -> bool:
    """Write `path` atomically unless it already holds exactly `text` (then it is left untouched, mtime
    and all, so DVC's hash cache still answers for it). True if written."""
    path = Path(path)
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_text(path, text)
    return True


def sync_folder(folder: Path, files: dict[str, str], pattern: str) -> int:
    """Make `folder` hold exactly `files` ({name: text}) among the files matching `pattern`: changed or
    new files are written atomically, unchanged ones left alone, others matching `pattern` removed.
    Returns how many files were written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = sum(write_if_changed(folder / name, text) for name, text in sorted(files.items()))
    for old in folder.glob(pattern):
        if old.name not in files:
            old.unlink()
    return written


def write_json(path: Path, obj: Any) -> None:
    """Write JSON atomically with sorted keys (deterministic)."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


FLOAT_FORMAT = "%.6g"  # how every table writes its floats


def write_metrics(folder: Path, rows: dict[str, dict[str, Any]]) -> None:
    """Headline metrics as DVC shows them best: one small JSON file per measure (`<folder>/<name>.json`,
    a row of `dvc metrics show`) whose keys are where it was measured (`dev`, `held_out`, `sample`,
    `nyt`, `value`, ...), so the table's columns stay few however many measures there are. Files of
    measures no longer written are removed."""
    files = {f"{name}.json": json.dumps(row, sort_keys=True) + "\n" for name, row in rows.items()}
    sync_folder(Path(folder), files, "*.json")


def csv_per_group(
    df: pd.DataFrame, by: str, columns: list[str], float_format: str, header: bool = True
) -> dict[Any, str]:
    """One CSV text (header, unless `header` is False, + that group's rows, in `df` order) per value of
    `by`: the same bytes as `to_csv` on each group, from one `to_csv` of the whole frame split at the
    group boundaries."""
    if df.empty:
        return {}
    df = df.sort_values(by, kind="mergesort")
    body = df[columns]

    def one(frame: pd.DataFrame, header: bool = header) -> str:
        return frame.to_csv(index=False, header=header, lineterminator="\n", float_format=float_format)

    texts = [body[c] for c in columns if not pd.api.types.is_numeric_dtype(body[c])]
    if any(t.astype(str).str.contains("[\r\n]", regex=True).any() for t in texts):
        # a quoted line break inside a field: rows are not lines, so write each group on its own
        return {k: one(g) for k, g in body.groupby(df[by], sort=False)}
    lines = one(body, header=False).split("\n")[:-1]
    head = [",".join(columns)] if header else []
    keys = df[by].to_numpy()
    cuts = [0, *(np.flatnonzero(keys[1:] != keys[:-1]) + 1).tolist(), len(keys)]
    return {
        keys[a]: "\n".join([*head, *lines[a:b]]) + "\n" for a, b in zip(cuts[:-1], cuts[1:], strict=True)
    }


def csv_fragments(table: Table, rows: list[dict]) -> dict[str, str]:
    """`rows` of `table` typed and sorted by its schema, as header-less CSV text per article_id: exactly
    the lines `write_table` writes for that article's rows (tables keyed by article_id first)."""
    if table.key[0] != "article_id":
        raise ValueError(f"table {table.name}: fragments need a key starting with article_id, not {table.key}")
    return csv_per_group(table.frame(rows), "article_id", list(table.columns), FLOAT_FORMAT, header=False)


def _csv_writer(df: pd.DataFrame):
    return lambda fh: df.to_csv(fh, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


def write_table(df: pd.DataFrame, table: Table, out_dir: Path) -> Path:
    """Validate `df` against `table`'s schema, then write it as CSV atomically."""
    df = table.conform(df)
    path = Path(out_dir) / table.file
    _atomic(path, _csv_writer(df))
    return path


def write_tables(frames: Iterable[tuple[pd.DataFrame, Table]], out_dir: Path) -> list[Path]:
    """Write several tables of one run together: all are validated and written to temp files first,
    then renamed one after another. A schema error or a crash while writing leaves every previous
    table in place; only a kill in the few microseconds of the renames can mix old and new tables.
    """
    conformed = [(table.conform(df), table) for df, table in frames]
    staged: list[tuple[str, Path]] = []
    try:
        for df, table in conformed:
            path = Path(out_dir) / table.file
            staged.append((_stage(path, _csv_writer(df)), path))
    except BaseException:
        for tmp, _ in staged:
            _unlink(tmp)
        raise
    _commit(staged)
    return [p for _, p in staged]


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


class TableStream:
    """Write one table in chunks: rows are buffered and written `chunk_rows` at a time, each chunk
    validated and sorted by the schema. Rows must come in key order across chunks (e.g. one article at
    a time in article order). The CSV is byte-identical to `epnlp.io.write_table` of the whole frame,
    memory is bounded by the chunk size, and the old file is replaced only on `close()`."""

    def __init__(self, table: Table, out_dir: Path, chunk_rows: int = 10_000):
        self.table = table
        self.path = Path(out_dir) / table.file
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.chunk_rows = max(1, int(chunk_rows))
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self._fh.write(",".join(table.columns) + "\n")
        self._last: tuple | None = None
        self._article: str | None = None  # the last article written by `append_csv`
        self._buffer: list[dict] = []
        self.rows = 0
        self.chunks = 0

    def append(self, rows: list[dict]) -> None:
        """Buffer `rows`; write a chunk once `chunk_rows` are buffered."""
        self._buffer.extend(rows)
        if len(self._buffer) >= self.chunk_rows:
            self.flush()

    def append_csv(self, article_id: str, text: str, n_rows: int) -> None:
        """Write one article's rows already formatted by `csv_fragments` (`n_rows` lines of `text`).
        Articles must come in increasing article_id order; a stream takes either rows or fragments."""
        if self._last is not None or self._buffer:
            raise ValueError(f"table {self.table.name}: fragments after row chunks")
        if self._article is not None and article_id <= self._article:
            raise ValueError(f"table {self.table.name}: article {article_id!r} after {self._article!r} is out of key order")
        if text.count("\n") < n_rows or (text and not text.endswith("\n")):
            raise ValueError(f"table {self.table.name}: fragment of {article_id!r} does not hold {n_rows} whole rows")
        self._article = article_id
        self._fh.write(text)
        self.rows += n_rows

    def flush(self) -> None:
        """Write the buffered rows as one typed, sorted chunk."""
        if not self._buffer:
            return
        if self._article is not None:
            raise ValueError(f"table {self.table.name}: row chunks after fragments")
        df = self.table.frame(self._buffer)
        self._buffer = []
        key = list(self.table.key)
        first = tuple(df.loc[0, key])
        if self._last is not None and first <= self._last:
            raise ValueError(f"table {self.table.name}: chunk starting at {first} is out of key order")
        self._last = tuple(df.loc[len(df) - 1, key])
        df.to_csv(self._fh, index=False, header=False, lineterminator="\n", float_format=FLOAT_FORMAT)
        self.rows += len(df)
        self.chunks += 1

    def close(self) -> Path:
        self.flush()
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        self._fh.close()
        if os.path.exists(self._tmp):
            os.unlink(self._tmp)

    def __enter__(self) -> TableStream:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
