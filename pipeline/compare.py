"""Stage `compare`: critics compared across every article: `episode_consensus`, `outlet_stats`,
`critic_stats`, `season_trends` and the name merges behind them (`name_merges`).

Reads `reviews`, `articles` and `infobox`; params `compare`. Cheap (pandas over one row per review), so
it recomputes everything: a per-article cache would cost more than it saves.
"""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.io import load_params, read_table, write_tables
from epnlp.summary.compare import CompareConfig, compare_tables
from epnlp.summary.source_names import load_aliases


def main() -> None:
    params = load_params()
    p = params["compare"]
    src = Path(params["data"]["processed_dir"])
    t = {name: read_table(schema.TABLES[name], src) for name in ("reviews", "articles", "infobox")}
    out = compare_tables(t["reviews"], t["articles"], t["infobox"], CompareConfig.from_params(p), load_aliases(Path(p["aliases"])))
    write_tables([(df, schema.TABLES[name]) for name, df in out.items()], src)
    merges = out["name_merges"]
    print(f"compare: {len(out['episode_consensus'])} episodes, {len(out['outlet_stats'])} outlets, "
          f"{len(out['critic_stats'])} critics, {int((merges['rule'] != 'as written').sum())} name forms joined")


if __name__ == "__main__":
    main()
