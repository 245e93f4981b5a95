"""Decoding, ids and atomic writes."""

from __future__ import annotations

import pandas as pd
import pytest

from epnlp import schema
from epnlp.io import csv_per_group, decode, read_table, slugify, write_table


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


def _sentiment_rows(article: str, n: int) -> list[dict]:
    return [
        {"article_id": article, "sentence_id": k, "section": "Plot", "role": "plot", "compound": (k - 2) / 7,
         "positive": 0.25, "neutral": 0.5, "negative": 0.25, "label": "neutral", "method": "vader",
         "evidence": 'a "quoted", word' if k % 2 else ""}
        for k in reversed(range(n))  # rows of an article need not come sorted
    ]


@pytest.mark.parametrize("chunk_rows", [1, 4, 7, 10_000])
def test_table_stream_equals_one_write_whatever_the_chunk_size(tmp_path, chunk_rows):
    from epnlp.io import TableStream

    articles = [("a", 3), ("b", 0), ("c", 5), ("d", 1), ("e", 6)]
    rows = [r for a, n in articles for r in _sentiment_rows(a, n)]
    write_table(pd.DataFrame(rows), schema.SENTIMENT, tmp_path / "whole")
    with TableStream(schema.SENTIMENT, tmp_path / "streamed", chunk_rows=chunk_rows) as stream:
        for a, n in articles:
            stream.append(_sentiment_rows(a, n))
            assert len(stream._buffer) < chunk_rows  # memory: never more than a chunk buffered
    name = schema.SENTIMENT.file
    assert (tmp_path / "streamed" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
    assert stream.rows == len(rows)
    # a chunk is written once the buffer reaches chunk_rows: per non-empty article at 1, once at 10,000
    assert stream.chunks == {1: 4, 4: 2, 7: 2, 10_000: 1}[chunk_rows]


def test_table_stream_rejects_chunks_out_of_key_order_and_keeps_the_old_file(tmp_path):
    from epnlp.io import TableStream

    write_table(pd.DataFrame(_sentiment_rows("z", 2)), schema.SENTIMENT, tmp_path)
    old = (tmp_path / schema.SENTIMENT.file).read_bytes()
    with pytest.raises(ValueError, match="out of key order"):
        with TableStream(schema.SENTIMENT, tmp_path, chunk_rows=2) as stream:
            stream.append(_sentiment_rows("b", 2))
            stream.append(_sentiment_rows("a", 2))
    assert (tmp_path / schema.SENTIMENT.file).read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == [schema.SENTIMENT.file]  # no temp file left


@pytest.mark.parametrize("note", ["plain", 'a "quoted", comma', "two\nlines"])
def test_csv_per_group_equals_to_csv_of_each_group(note):
    df = pd.DataFrame(
        {
            "article_id": ["b", "a", "b", "c", "a"],
            "x": [0.1234567, float("nan"), 2.0, -1e-9, 3.5],
            "n": [1, 2, 3, 4, 5],
            "note": ["n1", note, "n3", None, "n5"],
        }
    )
    got = csv_per_group(df, "article_id", ["x", "n", "note"], "%.4g")
    expected = {
        k: g[["x", "n", "note"]].to_csv(index=False, lineterminator="\n", float_format="%.4g")
        for k, g in df.groupby("article_id", sort=False)
    }
    assert got == expected
    assert list(got) == ["a", "b", "c"]  # grouped in key order, rows kept in table order within a group
    assert got["a"].splitlines()[0] == "x,n,note" and got["b"].count("\n") == 3
    assert csv_per_group(df.iloc[0:0], "article_id", ["x"], "%.4g") == {}


def test_csv_fragments_streamed_per_article_equal_one_write(tmp_path):
    from epnlp.io import TableStream, csv_fragments

    articles = [("a", 3), ("b", 0), ("c", 5), ("d", 1)]
    rows = {a: _sentiment_rows(a, n) for a, n in articles}
    rows["c"][1]["evidence"] = 'said "fine,\nreally" (+0.3)'  # a quoted line break inside a field
    write_table(pd.DataFrame([r for a, _ in articles for r in rows[a]]), schema.SENTIMENT, tmp_path / "whole")
    # formatted in two groups (as the NLP stage does per scoring batch), written article by article
    frags = csv_fragments(schema.SENTIMENT, rows["a"] + rows["b"]) | csv_fragments(schema.SENTIMENT, rows["d"][::-1] + rows["c"][::-1])
    assert set(frags) == {"a", "c", "d"}  # an article without rows has no fragment
    with TableStream(schema.SENTIMENT, tmp_path / "streamed") as stream:
        for a, n in articles:
            stream.append_csv(a, frags.get(a, ""), n)
    name = schema.SENTIMENT.file
    assert (tmp_path / "streamed" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
    assert stream.rows == 9
    with pytest.raises(ValueError, match="out of key order"):
        with TableStream(schema.SENTIMENT, tmp_path / "bad") as bad:
            bad.append_csv("b", frags["c"], 5)
            bad.append_csv("a", frags["a"], 3)
    with pytest.raises(ValueError, match="whole rows"):
        with TableStream(schema.SENTIMENT, tmp_path / "bad") as bad:
            bad.append_csv("a", frags["a"], 4)
    with pytest.raises(ValueError, match="key starting with article_id"):
        csv_fragments(schema.Table("t", {"x": "int", "article_id": "str"}, ("x",)), [])


@pytest.mark.parametrize(
    "data, message",
    [(b"\xef\xbb\xbf \n", "file holds only whitespace (2 bytes, no text)"),  # sizes count the text after the BOM
     (b"\xff\xfe \x00\n\x00", "file holds only whitespace (6 bytes, no text)")],
)
def test_blank_file_message_counts_its_bytes(data, message):
    _, _, issues = decode(data)
    assert [(i.problem, i.message) for i in issues] == [("blank", message)]


def test_decode_utf16_by_its_bom_and_bad_utf16_falls_back():
    text, enc, issues = decode("\ufeffT\n".encode("utf-16-le"))
    assert (text, enc, [(i.problem, i.line) for i in issues]) == ("T\n", "utf-16-le", [("encoding", 1)])
    _, enc, issues = decode(b"\xff\xfeA")  # odd length: not UTF-16, not UTF-8 either
    assert enc == "iso-8859-1" and [i.problem for i in issues] == ["encoding"]


def test_table_stream_writes_with_the_mode_of_every_other_table(tmp_path):
    from epnlp.io import TableStream

    write_table(pd.DataFrame(_sentiment_rows("a", 2)), schema.SENTIMENT, tmp_path / "whole")
    with TableStream(schema.SENTIMENT, tmp_path / "streamed") as stream:
        stream.append(_sentiment_rows("a", 2))
    mode = lambda folder: (folder / schema.SENTIMENT.file).stat().st_mode & 0o777  # noqa: E731
    assert mode(tmp_path / "streamed") == mode(tmp_path / "whole")


def test_table_stream_failing_on_close_leaves_no_temp_file(tmp_path):
    from epnlp.io import TableStream

    stream = TableStream(schema.SENTIMENT, tmp_path, chunk_rows=10)
    stream.append([{**_sentiment_rows("a", 1)[0], "compound": "not a number"}])  # buffered, checked on close
    with pytest.raises(schema.SchemaError, match="compound"):
        stream.close()
    assert list(tmp_path.iterdir()) == []


def test_every_model_label_has_a_kind_the_entity_layer_knows():
    from epnlp.nlp.entities import KINDS

    assert set(schema.LABEL_KINDS.values()) <= set(KINDS)
    assert schema.kind_of_label("PERSON") == "person" and schema.kind_of_label("CARDINAL") == "other"
