"""Decoding, ids and atomic writes."""

from __future__ import annotations

import pandas as pd
import pytest

from epnlp import schema
from epnlp.io import decode, read_table, slugify, write_table


@pytest.mark.parametrize(
    "name, slug",
    [("one_small_step", "one_small_step"), ("File With Spaces é", "file_with_spaces_e"), ("A--B", "a_b")],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_decode_utf8_bom_is_stripped():
    text, enc, issues = decode("\ufeff= T =\n".encode("utf-8"))
    assert (text, enc, issues) == ("= T =\n", "utf-8-sig", [])


@pytest.mark.parametrize(
    "data, encoding",
    [("caf\u00e9 \u00a3".encode("latin-1"), "iso-8859-1"), ("\u201cq\u201d".encode("cp1252"), "cp1252")],
)
def test_decode_fallback_is_recorded(data, encoding):
    text, enc, issues = decode(data + b"\n")
    assert enc == encoding
    assert [i.problem for i in issues] == ["encoding"]
    assert text.encode(encoding) == data + b"\n"


@pytest.mark.parametrize(
    "data, problem", [(b"", "empty"), (b" \n\t\n", "blank"), (b"ab\x00cd", "binary"), (b"x" * 11, "too_large")]
)
def test_decode_rejects(data, problem):
    _, _, issues = decode(data, max_bytes=10)
    assert [(i.severity, i.problem) for i in issues] == [("reject", problem)]


def test_write_table_is_sorted_typed_and_round_trips(tmp_path):
    rows = [
        {"article_id": "b", "key": "K", "position": 0, "value": "v", "start": 5, "end": 6, "line": 2, "role": None, "role_start": None, "role_end": None},
        {"article_id": "a", "key": "K", "position": 1, "value": "w", "start": 1, "end": 2, "line": 1, "role": "r", "role_start": 3, "role_end": 4},
    ]
    write_table(schema.INFOBOX.frame(rows), schema.INFOBOX, tmp_path)
    back = read_table(schema.INFOBOX, tmp_path)
    assert back["article_id"].tolist() == ["a", "b"]
    assert back["role"].isna().tolist() == [False, True]
    assert not list(tmp_path.glob(".*.tmp"))


def test_schema_error_names_table_and_column():
    with pytest.raises(schema.SchemaError, match="table infobox: missing column"):
        schema.INFOBOX.conform(pd.DataFrame({"article_id": ["a"]}))
    with pytest.raises(schema.SchemaError, match="table articles: column title has 1 empty"):
        schema.ARTICLES.frame([{"article_id": "a", "title": None, "source_file": "a.txt", "sha256": "x", "encoding": "utf-8", "n_chars": 1, "n_words": 1}])
