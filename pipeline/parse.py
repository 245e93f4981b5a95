"""Stage `parse`: decode and parse every article in data/raw into the parse tables and rejects.csv."""

from __future__ import annotations

import sys
from pathlib import Path

from epnlp import schema
from epnlp.io import list_articles, load_params, read_article, write_table
from epnlp.parse import ParseConfig, parse_corpus


def main() -> int:
    params = load_params()
    p = params["parse"]
    out = Path(params["data"]["processed_dir"])
    paths = list_articles(Path(params["data"]["raw_dir"]), p["pattern"])
    raws = [read_article(path, p["max_bytes"]) for path in paths]
    tables, issues = parse_corpus(raws, ParseConfig.from_params(p))
    for name, rows in tables.items():
        write_table(schema.TABLES[name].frame(rows), schema.TABLES[name], out)
    write_table(schema.PARSE_ISSUES.frame(issues), schema.PARSE_ISSUES, out)
    n_rej = sum(r.rejected for r in raws)
    print(f"parse: {len(raws)} files, {len(raws) - n_rej} parsed, {n_rej} rejected, {len(issues)} issues")
    for i in issues:
        print(f"  {i['severity']}: {i['source_file']}:{i['line'] or ''} {i['problem']}: {i['message']}", file=sys.stderr)
    return 1 if p["strict"] and n_rej else 0


if __name__ == "__main__":
    sys.exit(main())
