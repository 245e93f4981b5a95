"""The catalogue of bad inputs (tests/fixtures/bad/catalogue.tsv): each file is parsed with a warning,
rejected with a clear message, or parsed cleanly, exactly as catalogued; good articles are never lost."""

from __future__ import annotations

import copy
import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from epnlp import schema
from epnlp.io import decode, list_articles, read_article
from epnlp.text.parse import ParseConfig, parse_corpus

from .conftest import FIXTURES, ROOT, SAMPLE

BAD = FIXTURES / "bad"
ROWS = list(csv.DictReader(open(BAD / "catalogue.tsv", encoding="utf-8", newline=""), delimiter="\t"))
GENERATED = "GENERATED_50MB"
FILES = [r["file"] for r in ROWS if r["file"] != GENERATED]
PARSE_TABLES = ("articles", "infobox", "sections", "paragraphs")
# Problems found after the parse stage (the reviews stage needs the spaCy model).
LATER_PROBLEMS = {"no_reviews"}


def _param(row: dict):
    return pytest.param(row, id=row["file"])


@pytest.fixture(scope="module")
def config(params) -> ParseConfig:
    return ParseConfig.from_params(params["parse"])


@pytest.fixture(scope="module")
def max_bytes(params) -> int:
    return params["parse"]["max_bytes"]


def run(paths: list[Path], config: ParseConfig, max_bytes: int) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """What the parse stage does: read, parse, and build the typed tables (schema-validated)."""
    rows, issues = parse_corpus([read_article(p, max_bytes) for p in paths], config)
    tables = {name: schema.TABLES[name].frame(r) for name, r in rows.items()}
    return tables, schema.REJECTS.frame(issues)


@pytest.fixture(scope="module")
def corpus(config, max_bytes):
    """Every catalogued fixture plus the sample, parsed as one corpus."""
    return run([BAD / f for f in FILES] + [SAMPLE], config, max_bytes)


def rows_of(tables: dict[str, pd.DataFrame], source_file: str) -> dict[str, pd.DataFrame]:
    ids = set(tables["articles"].loc[tables["articles"]["source_file"] == source_file, "article_id"])
    return {name: df[df["article_id"].isin(ids)].reset_index(drop=True) for name, df in tables.items()}


def assert_message_in_words(issue) -> None:
    msg = issue.message
    assert isinstance(msg, str) and msg != issue.problem, issue
    assert len(re.findall(r"[A-Za-z]{2,}", msg)) >= 3, f"message does not say what is wrong: {msg!r}"


def check_outcome(row: dict, tables: dict[str, pd.DataFrame], issues: pd.DataFrame, path: Path) -> None:
    """The catalogued outcome of one file in a parse result."""
    source_file = path.name
    mine = issues[issues["source_file"] == source_file]
    problems = mine[mine["severity"].isin(["warning", "reject"])]
    got = rows_of(tables, source_file)
    severity, problem = row["severity"], row["problem"]
    for i in problems.itertuples(index=False):
        assert_message_in_words(i)
    if severity == "reject":
        assert all(len(df) == 0 for df in got.values()), f"{source_file}: rejected but has rows"
        ids = set(mine["article_id"])
        for name in PARSE_TABLES:
            assert not tables[name]["article_id"].isin(ids).any(), (name, source_file)
        assert [(i.severity, i.problem) for i in problems.itertuples()] == [("reject", problem)], problems
        return
    assert len(got["articles"]) == 1, f"{source_file}: no articles row"
    assert len(got["sections"]) >= 1 and len(got["paragraphs"]) >= 1, f"{source_file}: rows missing"
    assert not (mine["severity"] == "reject").any(), mine
    expected = set() if severity == "ok" or problem in LATER_PROBLEMS else {problem}
    assert set(problems["problem"]) == expected, (source_file, problems[["problem", "line", "message"]].values.tolist())
    if expected and row["line"]:
        assert problems.loc[problems["problem"] == problem, "line"].tolist() == [int(row["line"])]
    # the kept rows point into the decoded text
    text = read_article(path).text
    for r in got["paragraphs"].itertuples(index=False):
        assert text[r.start : r.end] == r.text
    for r in got["infobox"].itertuples(index=False):
        assert text[r.start : r.end] == r.value


def test_catalogue_is_complete():
    assert len(ROWS) >= 20 and GENERATED in [r["file"] for r in ROWS]
    assert {r["severity"] for r in ROWS} == {"ok", "warning", "reject"}
    on_disk = {p.name for p in BAD.glob("*.txt")}
    assert on_disk == set(FILES), on_disk ^ set(FILES)
    for r in ROWS:
        assert r["problem"] == "-" if r["severity"] == "ok" else re.fullmatch(r"[a-z_]+", r["problem"]), r
        assert r["line"] == "" or r["line"].isdigit(), r


@pytest.mark.parametrize("row", [_param(r) for r in ROWS if r["file"] != GENERATED])
def test_catalogued_outcome_in_the_corpus(row, corpus):
    """Each fixture, parsed among all the others and the sample, behaves as catalogued."""
    check_outcome(row, *corpus, BAD / row["file"])


@pytest.mark.parametrize("row", [_param(r) for r in ROWS if r["file"] != GENERATED and r["problem"] != "duplicate_title"])
def test_catalogued_outcome_alone(row, config, max_bytes, corpus):
    """Alone, a fixture gives the same rows and issues as in the corpus (nothing depends on its neighbours)."""
    tables, issues = run([BAD / row["file"]], config, max_bytes)
    check_outcome(row, tables, issues, BAD / row["file"])
    together = rows_of(corpus[0], row["file"])
    for name, df in rows_of(tables, row["file"]).items():
        pd.testing.assert_frame_equal(df, together[name], obj=f"{row['file']} {name}")
    in_corpus = corpus[1][corpus[1]["source_file"] == row["file"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(issues.reset_index(drop=True), in_corpus)


def test_duplicate_title_needs_the_first_article(config, max_bytes):
    tables, issues = run([BAD / "dup_title_b.txt"], config, max_bytes)
    assert "duplicate_title" not in set(issues["problem"])
    tables, issues = run([BAD / "dup_title_a.txt", BAD / "dup_title_b.txt"], config, max_bytes)
    dup = issues[issues["problem"] == "duplicate_title"]
    assert dup["source_file"].tolist() == ["dup_title_b.txt"]
    assert "dup_title_a.txt" in dup["message"].iloc[0] and "Homecoming" in dup["message"].iloc[0]
    assert dup["line"].tolist() == [1]
    assert sorted(tables["articles"]["source_file"]) == ["dup_title_a.txt", "dup_title_b.txt"]


def _big_article(path: Path, size: int) -> Path:
    """A valid article padded with plot paragraphs to `size` bytes (written in chunks)."""
    head = SAMPLE.read_bytes()
    para = ("Janeway studies the anomaly while Chakotay pilots the Alice through the debris field. " * 40 + "\n\n").encode()
    with open(path, "wb") as fh:
        fh.write(head)
        written = len(head)
        block = para * 64
        while written < size:
            fh.write(block)
            written += len(block)
    return path


def test_50mb_article_is_rejected_without_reading_it(tmp_path, config, max_bytes, monkeypatch):
    big = _big_article(tmp_path / "huge episode.txt", 50 * 1024 * 1024)
    assert big.stat().st_size > max_bytes

    real_read = Path.read_bytes

    def no_read(self):  # the size limit is checked before the file is loaded
        assert self.name != big.name, f"{self} was read into memory"
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", no_read)
    tables, issues = run([big, SAMPLE], config, max_bytes)
    monkeypatch.undo()
    row = next(r for r in ROWS if r["file"] == GENERATED)
    assert row["severity"] == "reject"
    check_outcome(row, tables, issues, big)
    msg = issues.loc[issues["source_file"] == big.name, "message"].iloc[0]
    assert f"{big.stat().st_size:,}" in msg and f"{max_bytes:,}" in msg
    assert tables["articles"]["source_file"].tolist() == [SAMPLE.name]


def test_encodings_are_detected_and_recorded(corpus):
    articles = corpus[0]["articles"].set_index("source_file")
    assert articles.loc["latin1.txt", "encoding"] == "iso-8859-1"
    assert articles.loc["cp1252.txt", "encoding"] == "cp1252"
    assert articles.loc["utf8_bom.txt", "encoding"] == "utf-8-sig"
    assert articles.loc["crlf.txt", "encoding"] == "utf-8"
    assert "Müllerhaven" in articles.loc["latin1.txt", "title"]
    assert articles.loc["cp1252.txt", "title"] == "The Curate\u2019s Egg (The Lantern Society)"
    issues = corpus[1]
    enc = issues[issues["problem"] == "encoding"].set_index("source_file")
    assert "decoded as iso-8859-1" in enc.loc["latin1.txt", "message"]
    assert "decoded as cp1252" in enc.loc["cp1252.txt", "message"]
    assert "not valid UTF-8" in enc.loc["cp1252.txt", "message"]


def test_line_endings_give_the_same_rows():
    """CRLF and lone-CR fixtures parse to the same structure as their LF rendering."""
    cfg = ParseConfig()
    for name in ("crlf.txt", "lone_cr.txt"):
        raw = read_article(BAD / name)
        lf = raw.text.replace("\r\n", "\n").replace("\r", "\n")
        a, b = parse_corpus([raw], cfg)[0], parse_corpus([raw.__class__(raw.path, raw.article_id, lf, "", "utf-8")], cfg)[0]
        assert [s["title"] for s in a["sections"]] == [s["title"] for s in b["sections"]]
        assert [p["text"].replace("\r\n", "\n").replace("\r", "\n") for p in a["paragraphs"]] == [p["text"] for p in b["paragraphs"]]


def test_good_articles_are_kept_whole_among_bad_ones(corpus, config, max_bytes):
    """The sample's rows are identical whether it is parsed alone or with every bad input."""
    alone, alone_issues = run([SAMPLE], config, max_bytes)
    together = rows_of(corpus[0], SAMPLE.name)
    for name in PARSE_TABLES:
        assert len(alone[name]) > 0
        pd.testing.assert_frame_equal(alone[name], together[name], obj=name)
    issues = corpus[1]
    pd.testing.assert_frame_equal(
        alone_issues.reset_index(drop=True), issues[issues["source_file"] == SAMPLE.name].reset_index(drop=True)
    )
    kept = set(corpus[0]["articles"]["source_file"])
    rejected = {r["file"] for r in ROWS if r["severity"] == "reject"}
    assert kept == (set(FILES) - rejected) | {SAMPLE.name}


def test_issue_rows_name_file_line_and_problem(corpus):
    issues = corpus[1]
    assert set(issues["source_file"]) <= set(FILES) | {SAMPLE.name}
    assert set(issues["severity"]) <= {"reject", "warning", "info"}
    for i in issues.itertuples(index=False):
        assert i.source_file and i.problem and i.article_id
        assert_message_in_words(i)
    lines = {r["file"]: int(r["line"]) for r in ROWS if r["line"]}
    for f, n in lines.items():
        assert n in issues.loc[issues["source_file"] == f, "line"].tolist(), f


def _copy(src: Path, dst: Path, title: str) -> Path:
    text = src.read_text(encoding="utf-8")
    dst.write_text(re.sub(r"^= .* =$", f"= {title} =", text, count=1, flags=re.M), encoding="utf-8")
    return dst


def test_file_names_with_the_same_slug_do_not_collide(tmp_path, config, max_bytes):
    a = _copy(SAMPLE, tmp_path / "A b.txt", "First")
    b = _copy(SAMPLE, tmp_path / "a_b.txt", "Second")
    tables, issues = run([a, b], config, max_bytes)
    arts = tables["articles"].set_index("source_file")
    assert arts.loc["a_b.txt", "article_id"] == "a_b"  # its stem already is the id: it keeps it
    other = arts.loc["A b.txt", "article_id"]
    assert other != "a_b" and other.startswith("a_b_")
    assert arts.loc["A b.txt", "title"] == "First" and arts.loc["a_b.txt", "title"] == "Second"
    n = tables["paragraphs"].groupby("article_id").size()
    assert n[other] == n["a_b"] > 0
    dup = issues[issues["problem"] == "duplicate_id"]
    assert dup[["source_file", "severity", "article_id"]].values.tolist() == [["A b.txt", "warning", other]]
    assert "a_b.txt" in dup["message"].iloc[0] and other in dup["message"].iloc[0]
    # deterministic: same ids in any input order, on every run
    again, _ = run([b, a], config, max_bytes)
    pd.testing.assert_frame_equal(again["articles"], tables["articles"])


def test_rejected_files_with_the_same_slug_do_not_collide(tmp_path, config, max_bytes):
    for name in ("Empty One.txt", "empty_one.txt", "EMPTY one.txt"):
        (tmp_path / name).write_bytes(b"")
    tables, issues = run(sorted(tmp_path.glob("*.txt")), config, max_bytes)  # schema: unique keys
    rej = issues[issues["problem"] == "empty"]
    assert len(rej) == 3 and rej["article_id"].nunique() == 3
    assert (issues["problem"] == "duplicate_id").sum() == 2


def test_unreadable_file_is_rejected_not_skipped(tmp_path, config, max_bytes):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing_target.txt")
    (tmp_path / "folder.txt").mkdir()
    paths = list_articles(tmp_path)
    assert [p.name for p in paths] == ["gone.txt"]
    tables, issues = run(paths + [tmp_path / "folder.txt"], config, max_bytes)
    assert len(tables["articles"]) == 0
    assert issues[["source_file", "severity", "problem"]].values.tolist() == [
        ["folder.txt", "reject", "unreadable"],
        ["gone.txt", "reject", "unreadable"],
    ]
    for i in issues.itertuples():
        assert_message_in_words(i)


@pytest.mark.parametrize(
    "data, encoding, problem",
    [
        ("\ufeff= T =\n\nText.\n".encode("utf-16-le"), "utf-16-le", "encoding"),
        ("\ufeff= T =\n\nText.\n".encode("utf-16-be"), "utf-16-be", "encoding"),
        (b"= T =\r\rCaf\xe9 \x81 text.\r", "iso-8859-1", "encoding"),  # 0x81: undefined in cp1252
        (b"= T =\n\n" + b"\x1b[0m" * 50 + b"\n", "binary", "binary"),
    ],
)
def test_other_encodings(data, encoding, problem):
    text, enc, issues = decode(data)
    assert enc == encoding
    assert [i.problem for i in issues] == [problem]
    if problem == "encoding":
        assert text.startswith("= T =") and "decoded as" in issues[0].message


def test_encoding_and_binary_lines_count_every_line_ending():
    _, _, issues = decode(b"= T =\r\rline 3\r\nCaf\xe9\n")
    assert [(i.problem, i.line) for i in issues] == [("encoding", 4)]
    _, _, issues = decode(b"a\rb\rc\x00")
    assert [(i.problem, i.line) for i in issues] == [("binary", 3)]


def test_parser_failure_rejects_only_that_article(tmp_path, config, max_bytes, monkeypatch):
    import epnlp.text.parse as parse_mod

    real = parse_mod.parse

    def flaky(text, article_id, cfg=None):
        if article_id == "boom":
            raise RuntimeError("synthetic failure")
        return real(text, article_id, cfg)

    monkeypatch.setattr(parse_mod, "parse", flaky)
    boom = _copy(SAMPLE, tmp_path / "boom.txt", "Boom")
    tables, issues = run([boom, SAMPLE], config, max_bytes)
    assert tables["articles"]["source_file"].tolist() == [SAMPLE.name]
    bad = issues[issues["source_file"] == "boom.txt"]
    assert bad[["severity", "problem"]].values.tolist() == [["reject", "parse_error"]]
    assert "RuntimeError: synthetic failure" in bad["message"].iloc[0]


@pytest.mark.slow
def test_no_reviews_is_found_by_the_reviews_stage(params, nlp, monkeypatch):
    """`reception_no_critic.txt` parses cleanly; the reviews stage records `no_reviews` in review_issues."""
    from epnlp.analyze import ChainConfig, analyze

    row = next(r for r in ROWS if r["file"] == "reception_no_critic.txt")
    assert (row["severity"], row["problem"]) == ("warning", "no_reviews")
    p = copy.deepcopy(params)
    p["sentiment"]["method"] = "vader"  # no trained model needed for this check
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("epnlp.nlp.pipeline.load_model", lambda *a, **k: nlp)  # the session's model, loaded once
    result = analyze([BAD / row["file"]], ChainConfig.from_params(p))
    issues = result.tables["review_issues"]
    found = issues[issues["problem"] == "no_reviews"]
    assert found[["source_file", "severity"]].values.tolist() == [[row["file"], "warning"]]
    assert_message_in_words(next(found.itertuples()))
    assert result.tables["rejects"].empty and not result.rejected  # the parse stage found nothing
    assert len(result.tables["articles"]) == 1 and len(result.tables["reviews"]) == 0
    assert (result.tables["paragraphs"]["role"] == "reception").sum() >= 1

