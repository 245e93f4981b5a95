"""The benchmark corpus generator: deterministic, parseable, names swapped from pools."""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest

from benchmarks.corpus import (
    FIRST_NAMES,
    SURNAMES,
    TITLE_ADJECTIVES,
    TITLE_NOUNS,
    find_names,
    generate,
    load_template,
    swapper,
    title_for,
)
from epnlp.io import RawArticle
from epnlp.text.parse import ParseConfig, parse_corpus

from .conftest import OTHER_ARTICLES, ROOT, SAMPLE

TEMPLATE_FILES = [SAMPLE, *OTHER_ARTICLES]


@pytest.fixture(scope="module")
def config(params) -> ParseConfig:
    return ParseConfig.from_params(params["parse"])


@pytest.fixture(scope="module")
def templates(config):
    return [load_template(p, config) for p in TEMPLATE_FILES]


def test_same_seed_same_bytes_and_prefix(templates, config):
    a = list(generate(templates, 40, 7, config))
    b = list(generate(templates, 40, 7, config))
    assert a == b
    assert list(generate(templates, 10, 7, config)) == a[:10]
    other = list(generate(templates, 40, 8, config))
    assert [x.text for x in other] != [x.text for x in a]


def test_texts_titles_and_files_differ(templates, config):
    arts = list(generate(templates, 60, 3, config))
    assert len({a.text for a in arts}) == 60
    assert len({a.file_name for a in arts}) == 60
    assert [a.file_name for a in arts] == sorted(a.file_name for a in arts)
    assert len({title_for(i, 3) for i in range(2000)}) == 2000


def test_generated_articles_parse_cleanly(templates, config, tmp_path):
    arts = list(generate(templates, 60, 11, config))
    raws = [RawArticle(tmp_path / a.file_name, a.file_name[:-4], a.text, "", "utf-8") for a in arts]
    tables, issues = parse_corpus(raws, config)
    assert issues == []
    roles = {}
    for s in tables["sections"]:
        roles.setdefault(s["article_id"], set()).add(s["role"])
    assert all({"lead", "plot", "reception"} <= r for r in roles.values()), roles
    assert any(p["is_list_item"] for p in tables["paragraphs"])
    texts = "\n".join(a.text for a in arts)
    assert re.search(r"^== \S.* ==$", texts, re.M) and re.search(r"^==\S.*\S==$", texts, re.M)
    assert re.search(r"^=== ", texts, re.M) or re.search(r"^===\S", texts, re.M)
    n_words = [len(a.text.split()) for a in arts]
    assert max(n_words) > 1.5 * min(n_words)


def _words(path) -> set[str]:
    return {w.casefold() for w in re.findall(r"[A-Za-z']+", path.read_text(encoding="utf-8"))}


def test_name_pools_share_no_word_with_the_templates_or_gazetteers():
    sources = [*TEMPLATE_FILES, *sorted((ROOT / "data" / "raw" / "gazetteers").glob("*"))]
    seen = set().union(*(_words(p) for p in sources if p.is_file()))
    pools = {w.casefold() for w in (*FIRST_NAMES, *SURNAMES)}
    assert pools.isdisjoint(seen), sorted(pools & seen)
    assert len(set(FIRST_NAMES)) == len(FIRST_NAMES) and len(set(SURNAMES)) == len(SURNAMES)


@pytest.mark.parametrize("index", range(len(TEMPLATE_FILES)))
def test_found_names_are_all_swapped(templates, config, index):
    t = templates[index]
    assert len(t.names) >= 10
    tokens = [tok for tok, _ in t.names if tok not in (*TITLE_ADJECTIVES, *TITLE_NOUNS)]
    pattern = re.compile(r"(?<![\w'])(?:" + "|".join(map(re.escape, tokens)) + r")(?![A-Za-z])")
    for a in generate([t], 15, 5, config):
        assert not pattern.search(a.text), (a.file_name, pattern.search(a.text).group(0))


@pytest.mark.parametrize(
    "people, prose, names",
    [
        (["Ada Lark, Bo Tran"], [], ["Ada", "Lark", "Bo", "Tran"]),
        (["Ada Lark - Lt. Vim Osk"], [], ["Ada", "Lark", "Vim", "Osk"]),
        ([], ["Later Captain Odo Vell met Ivo Ramm at noon."], ["Odo", "Vell", "Ivo", "Ramm"]),
        ([], ["He flew the Silver Comet to Mars."], []),
        ([], ["In 2020, The Daily Lamp liked it."], []),
        ([], ["Detective Quill arrived; Quill's coat was wet."], ["Quill"]),
        ([], ["Season Nine of Ora Fen"], []),
    ],
)
def test_find_names(people, prose, names):
    assert [t for t, _ in find_names(people, prose)] == names


def test_find_names_skips_excluded_words():
    assert find_names([], ["Then Harbor Watch began."], excluded={"Harbor"}) == ()
    assert find_names(["Ada Lark"], [])[0] == ("Ada", "first")
    assert find_names(["Ada Lark"], [])[1] == ("Lark", "last")


@pytest.mark.parametrize(
    "text, out",
    [
        ("Lark's coat; Larkin stays", "Wren's coat; Larkin stays"),
        ("O'Lark and Lark-like", "O'Lark and Lark-like".replace("and Lark-", "and Wren-")),
        ("Ada Lark.", "Ida Wren."),
    ],
)
def test_swapper_replaces_whole_tokens(text, out):
    assert swapper({"Lark": "Wren", "Ada": "Ida"})(text) == out


def test_name_map_draws_distinct_names_by_kind():
    from benchmarks.corpus import name_map

    m = name_map([("Ada", "first"), ("Lark", "last"), ("Tran", "last")], random.Random(1))
    assert m["Ada"] in FIRST_NAMES and {m["Lark"], m["Tran"]} <= set(SURNAMES) and m["Lark"] != m["Tran"]


def test_script_writes_the_corpus(tmp_path):
    from benchmarks import make_corpus as script

    out = tmp_path / "c"
    args = ["--n", "5", "--seed", "2", "--out", str(out)]
    res = subprocess.run(
        [sys.executable, "-m", "benchmarks.make_corpus", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    first = {p.name: p.read_bytes() for p in out.glob("*.txt")}
    assert len(first) == 5
    assert script.main(args) == 2  # refuses to mix two corpora in one folder
    assert script.main([*args, "--overwrite"]) == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.txt")} == first
