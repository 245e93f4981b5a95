"""Stage `evaluate_characters`: story characters of the development corpus against its gold, per half.

Writes `evaluate_characters.report` (DVC metrics: found, linked, precision, real people kept as people),
`.detail` (per article) and `.errors` (every miss, with what the tables say instead).
"""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.character_eval import evaluate_characters
from epnlp.corpus_eval import load_gold
from epnlp.io import load_params, read_table, write_json, write_metrics, write_text


def main() -> None:
    params = load_params()
    p = params["evaluate_characters"]
    tables = Path(params["analyze_corpus"]["out_dir"])
    t = {name: read_table(schema.TABLES[name], tables) for name in ("articles", "characters", "entities")}
    headline, detail, errors = evaluate_characters(load_gold(Path(p["gold_dir"])), t["articles"], t["characters"], t["entities"])
    halves = ("dev", "held_out")
    write_metrics(Path(p["metrics_dir"]), {m: {h: headline[h][m] for h in halves} for m in headline["dev"] if not m.startswith("gold_")})
    write_json(Path(p["detail"]), {"headline": headline, **detail})
    frame = schema.CHARACTER_ERRORS.frame(errors)
    write_text(Path(p["errors"]), frame.to_csv(index=False, lineterminator="\n"))
    for half, m in headline.items():
        print(f"evaluate_characters [{half}]: " + ", ".join(f"{k} {v}" for k, v in m.items()))


if __name__ == "__main__":
    main()
