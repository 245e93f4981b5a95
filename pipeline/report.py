"""Stage `report`: the critics' comparison CSV, the Markdown summary and DVC metrics."""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.io import load_params, read_table, write_json, write_text
from epnlp.report import metrics, review_comparison, summary_markdown


def main() -> None:
    params = load_params()
    src = Path(params["data"]["processed_dir"])
    dst = Path(params["data"]["reports_dir"])
    used = ("articles", "infobox", "sections", "entities", "sentences", "sentiment", "reviews", "rejects", "readability")
    t = {name: read_table(schema.TABLES[name], src) for name in used}
    cache = ArticleCache(Path(params["report"]["cache_dir"]))
    comp = review_comparison(t["reviews"], t["articles"])
    write_text(dst / "review_sentiment.csv", comp.to_csv(index=False, lineterminator="\n", float_format="%.4g"))
    write_text(
        dst / "summary.md",
        summary_markdown(t["articles"], t["infobox"], t["sections"], t["entities"], comp, t["readability"], params["report"]["top_entities"],
                         cache=cache),
    )
    write_json(dst / "metrics.json", metrics(t["articles"], t["sentences"], t["entities"], t["sentiment"], t["reviews"], t["rejects"]))
    print(f"report: {len(comp)} reviews compared -> {dst} ({cache.misses} computed, {cache.hits} from cache)")


if __name__ == "__main__":
    main()
