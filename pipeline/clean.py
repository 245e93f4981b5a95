"""Stage `clean`: normalise every paragraph for the NLP, recording each edit with raw offsets."""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.io import load_params, read_table, write_table
from epnlp.text.clean import clean_paragraphs


def main() -> None:
    params = load_params()
    out = Path(params["data"]["processed_dir"])
    paragraphs = read_table(schema.PARAGRAPHS, out)
    clean_rows, edit_rows = clean_paragraphs(paragraphs)
    write_table(schema.CLEAN_PARAGRAPHS.frame(clean_rows), schema.CLEAN_PARAGRAPHS, out)
    write_table(schema.CLEAN_EDITS.frame(edit_rows), schema.CLEAN_EDITS, out)
    print(f"clean: {len(clean_rows)} paragraphs, {len(edit_rows)} edits")


if __name__ == "__main__":
    main()
