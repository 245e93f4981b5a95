"""The NLP pass in one process and in worker processes: same rows, cache shared."""

from __future__ import annotations

from dataclasses import replace

import pytest

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.io import read_article
from epnlp.nlp.known import EntityConfig
from epnlp.nlp.pipeline import NlpConfig, process, shards
from epnlp.sentiment.scorer import VaderScorer
from epnlp.text.clean import clean_paragraphs
from epnlp.text.parse import ParseConfig, parse_corpus

from .conftest import OTHER_ARTICLES, ROOT, SAMPLE


def test_shards_are_consecutive_and_cover_everything():
    items = list(range(7))
    assert shards(items, 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert shards(items, 10) == [items]
    assert shards([], 2) == []
    assert sum(shards(items, 0), []) == items  # size < 1 means one per shard


@pytest.fixture(scope="module")
def corpus(params, tmp_path_factory):
    """Tables of five articles: the sample, two other shows, and retitled copies (other ids)."""
    folder = tmp_path_factory.mktemp("corpus")
    files = [SAMPLE, *OTHER_ARTICLES]
    for k, src in enumerate(OTHER_ARTICLES):
        text = src.read_text(encoding="utf-8").replace("=", "= Copy " + str(k) + " of", 1)
        dest = folder / f"copy_{k}.txt"
        dest.write_text(text, encoding="utf-8")
        files.append(dest)
    rows, _ = parse_corpus([read_article(f, params["parse"]["max_bytes"]) for f in files], ParseConfig.from_params(params["parse"]))
    t = {name: schema.TABLES[name].frame(r) for name, r in rows.items()}
    clean, edits = clean_paragraphs(t["paragraphs"])
    t["clean_paragraphs"] = schema.CLEAN_PARAGRAPHS.frame(clean)
    t["clean_edits"] = schema.CLEAN_EDITS.frame(edits)
    assert t["articles"]["article_id"].nunique() == 5
    return t


def _run(params, t, nlp, n_process, cache=None):
    settings = replace(NlpConfig.from_params(params["nlp"]), shard_articles=2)
    entities = EntityConfig.from_params({**params["entities"], "gazetteer_dir": str(ROOT / params["entities"]["gazetteer_dir"])}, params["parse"]["guest_keys"])
    return list(process(t, settings, entities, nlp=nlp, n_process=n_process, scorer=VaderScorer(), cache=cache))


def _rows(results, vocab):
    return [
        (r.article_id, r.sentences, r.entities, r.sentiment, r.csv, [(d.text, d.user_data["ctx"]) for d in r.kept(vocab)])
        for r in results
    ]


@pytest.mark.slow
def test_two_worker_processes_give_the_same_rows_as_one(params, corpus, nlp, tmp_path):
    one = _run(params, corpus, nlp, 1)
    assert [r.article_id for r in one] == sorted(corpus["articles"]["article_id"])
    assert all(r.sentences and r.sentiment for r in one)
    assert sum(len(r.entities) for r in one) > 50
    cache = ArticleCache(tmp_path / "cache")
    two = _run(params, corpus, nlp, 2, cache)
    assert _rows(two, nlp.vocab) == _rows(one, nlp.vocab)
    # the workers filled the cache: a second run computes nothing and reads the same rows back
    assert (cache.hits, cache.misses) == (0, 5)
    assert len(list((tmp_path / "cache").glob("*.pkl"))) == 5
    again = ArticleCache(tmp_path / "cache")
    assert _rows(_run(params, corpus, nlp, 2, again), nlp.vocab) == _rows(one, nlp.vocab)
    assert (again.hits, again.misses) == (5, 0)


@pytest.mark.slow
def test_kept_docs_file_builds_only_the_articles_asked_for(params, corpus, nlp, tmp_path):
    from epnlp.nlp.pipeline import KeptDocs, KeptDocsFile

    results = _run(params, corpus, nlp, 1)
    kept = KeptDocs()
    for r in results:
        kept.add(r)
    kept.write(tmp_path / "kept.spacy")
    f = KeptDocsFile(tmp_path / "kept.spacy", nlp.vocab)
    every = [d for r in results for d in r.kept(nlp.vocab)]
    assert [c["article_id"] for c in f.contexts] == [d.user_data["ctx"]["article_id"] for d in every]
    ids = sorted({c["article_id"] for c in f.contexts})
    assert len(ids) >= 2
    want = {ids[-1]}
    part = f.docs(want)
    expected = [d for d in every if d.user_data["ctx"]["article_id"] in want]
    assert 0 < len(part) < len(every)

    def look(docs):  # text, tokens with their annotations, sentences, entities and the context
        return [
            (d.text, [(t.text, t.lemma_, t.pos_, t.dep_, t.head.i, t.whitespace_) for t in d],
             [s.text for s in d.sents], [(e.text, e.label_) for e in d.ents], d.user_data["ctx"])
            for d in docs
        ]

    assert look(part) == look(expected)
    assert look(f.docs()) == look(every)
    assert f.docs([]) == []


@pytest.mark.slow
def test_packed_docs_merge_as_docbin_merge_does(params, corpus, nlp, tmp_path):
    """KeptDocs extends lists of cached arrays; the file must be what merging DocBins (decoded from
    each article's DocBin bytes) writes, also after the packed docs went through pickle (the cache)."""
    import pickle

    from spacy.tokens import DocBin

    from epnlp.nlp.pipeline import KeptDocs

    results = [pickle.loads(pickle.dumps(r)) for r in _run(params, corpus, nlp, 1)]
    assert sum(r.docs is not None for r in results) >= 3
    kept, reference = KeptDocs(), DocBin()
    for r in results:
        kept.add(r)
        if r.docs is not None:
            one = DocBin()
            r.docs.add_to(one)
            reference.merge(DocBin().from_bytes(one.to_bytes()))
    kept.write(tmp_path / "kept.spacy")
    assert (tmp_path / "kept.spacy").read_bytes() == reference.to_bytes()
    assert len(reference) == len(kept.contexts) == sum(len(r.docs) for r in results if r.docs is not None)
    with pytest.raises(ValueError, match="attributes"):
        results[0].docs.add_to(DocBin(attrs=["ORTH"]))


@pytest.mark.parametrize("text", ["", "  ", "Ada left. Bo stayed!  \n\n  Then rain fell.", "One line without a stop"])
def test_sentence_spans_read_as_an_array_equal_doc_sents(nlp, text):
    """`sentences_of` reads the boundaries as one array: the same spans as `doc.sents` (blank ones out)."""
    from epnlp.nlp.annotate import sentences_of

    doc = nlp(text)
    expected = [(s.start, s.end) for s in doc.sents if s.text.strip()] if len(doc) else []
    assert [(s.start, s.end) for s in sentences_of(doc)] == expected
