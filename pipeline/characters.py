"""Stage `characters`: one row per character and character co-occurrence per sentence."""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.characters import character_rows, cooccurrence_rows
from epnlp.io import load_params, read_table, write_table


def main() -> None:
    params = load_params()
    out = Path(params["data"]["processed_dir"])
    entities = read_table(schema.ENTITIES, out)
    chars = character_rows(entities, read_table(schema.SENTENCES, out))
    pairs = cooccurrence_rows(entities)
    write_table(schema.CHARACTERS.frame(chars), schema.CHARACTERS, out)
    write_table(schema.COOCCURRENCE.frame(pairs), schema.COOCCURRENCE, out)
    print(f"characters: {len(chars)} characters, {len(pairs)} co-occurring pairs")


if __name__ == "__main__":
    main()
