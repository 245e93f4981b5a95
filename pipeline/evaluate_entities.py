"""Stage `evaluate_entities`: entity precision/recall against the gold files, with and without gazetteers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from epnlp.evaluation.entities import errors, evaluate, load_gold, micro
from epnlp.flow import annotate_tables, parse_and_clean
from epnlp.io import load_params, read_article, write_json, write_metrics, write_text
from epnlp.nlp.known import EntityConfig
from epnlp.nlp.pipeline import NlpConfig, load_model
from epnlp.text.parse import ParseConfig


def main() -> None:
    params = load_params()
    ev = params["evaluate_entities"]
    raws = [read_article(Path(a)) for a in ev["articles"]]
    t, _ = parse_and_clean(raws, ParseConfig.from_params(params["parse"]))
    settings = NlpConfig.from_params(params["nlp"])
    entities = EntityConfig.from_params(params["entities"], params["parse"]["guest_keys"])
    nlp = load_model(settings.model, list(settings.disable))
    report: dict = {}
    problems = []
    for variant, gaz_dir in (("with_gazetteer", entities.gazetteer_dir), ("without_gazetteer", None)):
        annotate_tables(t, settings, replace(entities, gazetteer_dir=gaz_dir), nlp)
        pred = t["entities"]
        per = {}
        for raw in raws:
            gold = load_gold(Path(ev["gold_dir"]) / f"{raw.article_id}.tsv")
            mine = pred[pred["article_id"] == raw.article_id]
            per[raw.article_id] = evaluate(mine, gold)
            problems.append(errors(mine, gold).assign(article_id=raw.article_id, variant=variant))
        sample = ev["sample"]
        report[variant] = {
            "sample": per[sample],
            "other_shows": micro([v for k, v in per.items() if k != sample]),
            "by_article": per,
        }
        print(f"evaluate_entities [{variant}]: sample P={per[sample]['precision']:.3f} R={per[sample]['recall']:.3f} "
              f"other P={report[variant]['other_shows']['precision']:.3f} R={report[variant]['other_shows']['recall']:.3f}")
    write_json(Path(ev["report"]), report)
    with_gaz, without = report["with_gazetteer"], report["without_gazetteer"]
    write_metrics(Path(ev["metrics_dir"]), {
        m: {"sample": with_gaz["sample"][m], "no_gazetteer": without["sample"][m], "other_shows": with_gaz["other_shows"][m]}
        for m in ("precision", "recall", "f1", "canonical_accuracy", "kind_accuracy")
    })
    write_text(Path(ev["errors"]), pd.concat(problems).to_csv(index=False, lineterminator="\n"))


if __name__ == "__main__":
    main()
