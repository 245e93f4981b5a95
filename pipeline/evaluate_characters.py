"""Stage `evaluate_characters`: story characters of the development corpus against its gold, per half.

Writes `evaluate_characters.report` (DVC metrics: found, linked, precision, real people kept as people),
`.detail` (per article) and `.errors` (every miss, with what the tables say instead).
"""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.evaluation.characters import evaluate_characters
from epnlp.evaluation.corpus import load_gold
from epnlp.io import load_params, read_table, write_evaluation


def main() -> None:
    params = load_params()
    p = params["evaluate_characters"]
    tables = Path(params["analyze_corpus"]["out_dir"])
    t = {name: read_table(schema.TABLES[name], tables) for name in ("articles", "characters", "entities")}
    headline, detail, errors = evaluate_characters(load_gold(Path(p["gold_dir"])), t["articles"], t["characters"], t["entities"])
    write_evaluation("evaluate_characters", p, headline, detail, schema.CHARACTER_ERRORS.frame(errors))


if __name__ == "__main__":
    main()
