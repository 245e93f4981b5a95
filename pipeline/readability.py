"""Stage `readability`: textstat scores per section."""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.io import load_params, read_table, write_table
from epnlp.readability import readability_rows


def main() -> None:
    params = load_params()
    out = Path(params["data"]["processed_dir"])
    cache = ArticleCache(Path(params["readability"]["cache_dir"]))
    rows = readability_rows(
        read_table(schema.SECTIONS, out),
        read_table(schema.PARAGRAPHS, out),
        read_table(schema.CLEAN_PARAGRAPHS, out),
        read_table(schema.SENTENCES, out),
        cache=cache,
    )
    write_table(schema.READABILITY.frame(rows), schema.READABILITY, out)
    print(f"readability: {len(rows)} sections ({cache.misses} computed, {cache.hits} from cache)")


if __name__ == "__main__":
    main()
