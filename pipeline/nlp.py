"""Stage `nlp`: one spaCy model over every paragraph (nlp.pipe): sentences, entities, sentiment.

Articles whose inputs, params and code are unchanged come from the per-article cache; tables are
written by streaming, one article at a time.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.io import TableStream, load_params, read_table
from epnlp.nlp.docs import KeptDocs
from epnlp.nlp.engine import EngineConfig, open_engine
from epnlp.nlp.known import EntityConfig
from epnlp.nlp.pipeline import INPUT_TABLES, NlpConfig, process
from epnlp.sentiment.scorer import make_scorer, scorer_kwargs


def main() -> None:
    t0 = time.perf_counter()
    params = load_params()
    out = Path(params["data"]["processed_dir"])
    s = params["sentiment"]
    cache = ArticleCache(Path(params["nlp"]["cache_dir"]))
    with ExitStack() as stack:
        engine = stack.enter_context(open_engine(EngineConfig.from_params(params.get("engine"))))
        results = process(
            {name: read_table(schema.TABLES[name], out) for name in INPUT_TABLES},
            NlpConfig.from_params(params["nlp"]),
            EntityConfig.from_params(params["entities"], params["parse"]["guest_keys"]),
            scorer=make_scorer(**scorer_kwargs(s)),
            cache=cache,
            engine=engine,
            inputs_dir=out,
        )
        kept = KeptDocs()
        n = 0
        sents, ents, senti = (stack.enter_context(TableStream(t, out)) for t in (schema.SENTENCES, schema.ENTITIES, schema.SENTIMENT))
        for r in results:  # each article's rows come formatted as CSV lines
            sents.append_csv(r.article_id, r.csv[schema.SENTENCES.name], len(r.sentences))
            ents.append_csv(r.article_id, r.csv[schema.ENTITIES.name], len(r.entities))
            senti.append_csv(r.article_id, r.csv[schema.SENTIMENT.name], len(r.sentiment))
            kept.add(r)
            n += 1
    kept.write(Path(params["nlp"]["docs_path"]))
    dt = time.perf_counter() - t0
    print(f"nlp: {n} articles ({cache.misses} computed, {cache.hits} from cache), {sents.rows} sentences, "
          f"{ents.rows} entities in {dt:.1f}s ({n / dt:.1f} articles/s)")


if __name__ == "__main__":
    main()
