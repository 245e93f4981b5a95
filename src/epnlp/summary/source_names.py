"""One canonical name per outlet and per critic across articles, so names can be keys.

Articles spell the same outlet many ways ("The T.V. Desk", "TV Desk", "T.V. Desk"; "Reelhouse.com" and
"Reelhouse"; "KW" and "Kettle Weekly"). Two rules and a data file decide:
1. names with the same key are one name: lower case, a leading "the" and a web suffix (".com", ".net",
   ".org", ".co.uk") dropped, everything but letters and digits removed;
2. the alias file (`data/aliases/outlets.yaml`: canonical name -> other names) joins names no rule can
   (abbreviations);
3. the name shown is the alias file's canonical name, else the raw form used by most reviews (ties: the
   longer, then the first in sort order).
The raw text stays in `reviews.csv`; `name_merges` lists every raw form and what it became.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

_WEB_SUFFIX = re.compile(r"\.(com|net|org|co\.uk|tv)$")


def name_key(name: str) -> str:
    """The comparison key of a name (rule 1)."""
    s = _WEB_SUFFIX.sub("", name.strip().lower().replace("\u2019", "'"))
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"[^0-9a-z]+", "", s)


def load_aliases(path: Path | None) -> dict[str, str]:
    """Alias file -> {key of every listed name: canonical name}; a missing file gives none."""
    if path is None or not Path(path).is_file():
        return {}
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of canonical name -> list of other names")
    out: dict[str, str] = {}
    for canonical, others in sorted(data.items()):
        for name in [canonical, *(others or [])]:
            key = name_key(str(name))
            if key in out and out[key] != canonical:
                raise ValueError(f"{path}: {name!r} is listed under both {out[key]!r} and {canonical!r}")
            out[key] = str(canonical)
    return out


@dataclass(frozen=True)
class Merge:
    """One raw form of a name and the canonical name it was given."""

    raw: str
    canonical: str
    n_reviews: int
    rule: str  # "as written", "same key" or "alias file"


def canonical_names(raw_names: Iterable[str], aliases: Mapping[str, str] | None = None) -> dict[str, Merge]:
    """raw name -> Merge, for every distinct non-empty raw name (rules 1-3)."""
    aliases = aliases or {}
    counts = Counter(n for n in raw_names if isinstance(n, str) and n.strip())
    groups: dict[str, list[str]] = {}
    for raw in sorted(counts):
        key = name_key(raw)
        groups.setdefault(aliases.get(key, key), []).append(raw)
    out: dict[str, Merge] = {}
    for group, raws in groups.items():
        shown = group if group in aliases.values() else max(raws, key=lambda r: (counts[r], len(r), [-ord(c) for c in r]))
        for raw in raws:
            rule = "as written" if raw == shown else ("alias file" if name_key(raw) in aliases and name_key(raw) != name_key(shown) else "same key")
            out[raw] = Merge(raw, shown, counts[raw], rule)
    return out
