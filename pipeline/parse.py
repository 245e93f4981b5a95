"""Stage `parse`: decode and parse every article in data/raw into the parse tables and rejects.csv.

Every problem is printed as `severity: file:line: problem: message`. With `parse.strict: true` any
rejected file fails the stage (exit 1) before anything is written, so the previous outputs stay.
All tables are written together (temp files first, then renamed), never half-written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from epnlp import schema
from epnlp.io import list_articles, load_params, read_article, write_tables
from epnlp.text.parse import ParseConfig, parse_corpus


def main() -> int:
    params = load_params()
    p = params["parse"]
    out = Path(params["data"]["processed_dir"])
    paths = list_articles(Path(params["data"]["raw_dir"]), p["pattern"])
    raws = [read_article(path, p["max_bytes"]) for path in paths]
    tables, issues = parse_corpus(raws, ParseConfig.from_params(p))  # one bad file never loses the others' rows
    rejected = sorted({i["source_file"] for i in issues if i["severity"] == "reject"})
    for i in issues:
        where = f"{i['source_file']}:{i['line']}" if i["line"] is not None else i["source_file"]
        print(f"  {i['severity']}: {where}: {i['problem']}: {i['message']}", file=sys.stderr)
    print(f"parse: {len(raws)} files, {len(raws) - len(rejected)} parsed, {len(rejected)} rejected, {len(issues)} issues")
    if p["strict"] and rejected:
        print(f"parse: strict mode: {len(rejected)} file(s) rejected ({', '.join(rejected)}); nothing written", file=sys.stderr)
        return 1
    frames = [(schema.TABLES[name].frame(rows), schema.TABLES[name]) for name, rows in tables.items()]
    frames.append((schema.REJECTS.frame(issues), schema.REJECTS))
    write_tables(frames, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
