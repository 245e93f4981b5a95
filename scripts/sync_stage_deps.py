"""Rewrite each stage's library deps in dvc.yaml from its script's import closure (epnlp.codedeps).

    python scripts/sync_stage_deps.py          # rewrite dvc.yaml (comments kept)
    python scripts/sync_stage_deps.py --check  # exit 1 and list the differences instead

Deps outside `src/epnlp/*.py` (data, folders, the script itself) are kept as written; the module files
become exactly the closure, sorted, after them. `tests/test_stage_deps.py` checks the result.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ruamel.yaml import YAML

from epnlp.codedeps import import_closure

ROOT = Path(__file__).resolve().parents[1]


def wanted(stage: dict) -> list[str]:
    """The stage's deps as they should be."""
    script = ROOT / stage["cmd"].split()[1]
    kept = [d for d in stage.get("deps", []) if not (str(d).startswith("src/epnlp/") and str(d).endswith(".py"))]
    dirs = [str(d).rstrip("/") for d in kept]
    code = sorted(str(f.relative_to(ROOT)) for f in import_closure(script))
    return kept + [c for c in code if not any(c.startswith(d + "/") for d in dirs)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    yaml = YAML()
    yaml.width = 200
    yaml.indent(mapping=2, sequence=4, offset=2)
    path = ROOT / "dvc.yaml"
    spec = yaml.load(path.read_text(encoding="utf-8"))
    changed = []
    for name, stage in spec["stages"].items():
        new = wanted(stage)
        if [str(d) for d in stage.get("deps", [])] != new:
            changed.append(name)
            stage["deps"] = new
    if args.check:
        print("\n".join(f"{n}: deps differ from the import closure" for n in changed) or "dvc.yaml deps match")
        return 1 if changed else 0
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(spec, fh)
    print(f"dvc.yaml: {len(changed)} stage(s) updated: {', '.join(changed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
