"""Stage `summarize`: per-article summaries of the NLP tables, in one process: characters and who
appears with whom (`characters`, `cooccurrence`), readability per section (`readability`), and the
plot's sentiment arc (`plot_arc`, `plot_arc_paragraphs`, one DVC plot file per article).

One stage rather than three: each is a second or less of work over the same tables, while every stage
costs a Python start-up, the pandas import, reading the tables and DVC's bookkeeping whatever it
computes (docs/scaling.md, "Where an incremental run goes").
"""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.io import load_params, read_table, sync_folder, write_tables
from epnlp.summary.arc import paragraph_summary, plot_arc, plot_files
from epnlp.summary.characters import character_rows, cooccurrence_rows
from epnlp.summary.readability import readability_rows


def main() -> None:
    params = load_params()
    src = Path(params["data"]["processed_dir"])
    used = ("sections", "paragraphs", "clean_paragraphs", "sentences", "entities", "sentiment")
    t = {name: read_table(schema.TABLES[name], src) for name in used}

    chars = character_rows(t["entities"], t["sentences"])
    pairs = cooccurrence_rows(t["entities"])
    cache = ArticleCache(Path(params["summarize"]["readability_cache_dir"]))
    scores = readability_rows(t["sections"], t["paragraphs"], t["clean_paragraphs"], t["sentences"], cache=cache)
    window = params["summarize"]["arc_window"]
    arc = plot_arc(t["sentences"], t["sentiment"], window=window)

    write_tables(
        [
            (schema.CHARACTERS.frame(chars), schema.CHARACTERS),
            (schema.COOCCURRENCE.frame(pairs), schema.COOCCURRENCE),
            (schema.READABILITY.frame(scores), schema.READABILITY),
            (arc, schema.PLOT_ARC),
            (paragraph_summary(arc), schema.PLOT_ARC_PARAGRAPHS),
        ],
        src,
    )
    sync_folder(Path(params["data"]["reports_dir"]) / "plots" / "arc", plot_files(arc), "*.csv")
    print(f"characters: {len(chars)} characters, {len(pairs)} co-occurring pairs")
    print(f"readability: {len(scores)} sections ({cache.misses} computed, {cache.hits} from cache)")
    print(f"arc: {len(arc)} plot sentences in {arc['article_id'].nunique()} article(s), window {window}")


if __name__ == "__main__":
    main()
