"""Outputs are never half-written: runs killed (SIGKILL) at several moments leave the previous complete
tables; leftover temp files are never read as tables; `parse.strict` fails the stage on a reject."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from epnlp import schema
from epnlp.io import TMP_SUFFIX, load_params, read_table, write_table

from .conftest import FIXTURES, ROOT, SAMPLE

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

STAGE = ROOT / "pipeline" / "parse.py"
PARSE_OUTPUTS = sorted(["articles.csv", "infobox.csv", "sections.csv", "paragraphs.csv", "rejects.csv"])


def make_project(base: Path, articles: dict[str, bytes], **parse_params) -> Path:
    """A minimal project: params.yaml (the real one, `parse` overridden) and data/raw."""
    params = load_params(ROOT / "params.yaml")
    params["parse"].update(parse_params)
    base.mkdir(parents=True, exist_ok=True)
    (base / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    raw = base / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, data in articles.items():
        (raw / name).write_bytes(data)
    return base


def set_strict(project: Path, strict: bool) -> None:
    params = load_params(project / "params.yaml")
    params["parse"]["strict"] = strict
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")


def start_stage(project: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(STAGE)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def run_stage(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(STAGE)], cwd=project, capture_output=True, text=True, timeout=120)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every visible file's bytes (temp files are hidden dot-files and are listed separately)."""
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f".*{TMP_SUFFIX}"))


def digest(files: dict[str, bytes]) -> dict[str, str]:
    return {k: hashlib.sha256(v).hexdigest()[:12] for k, v in files.items()}


def corpus(n: int, extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    text = SAMPLE.read_bytes()
    arts = {f"episode_{i:04d}.txt": text.replace(b"= One Small Step", f"= Episode {i}".encode(), 1) for i in range(n)}
    return {**arts, **(extra or {})}


def test_killed_parse_stage_leaves_the_previous_outputs(tmp_path):
    """SIGKILL the real parse stage at 0.2 s, 0.5 s, 1 s and later: the outputs are the previous run's,
    byte for byte, or (if the run got that far) the new run's complete ones, never a partial file."""
    project = make_project(tmp_path / "p", corpus(200))
    out = project / "data" / "processed"
    first = run_stage(project)
    assert first.returncode == 0, first.stderr
    previous = snapshot(out)
    assert sorted(previous) == PARSE_OUTPUTS

    # new input: the next run would write different tables
    (project / "data" / "raw" / "another.txt").write_bytes((FIXTURES / "bad" / "crlf.txt").read_bytes())
    trials = []
    # after 0.2 s, 0.5 s, 1 s from the start; then 0, 50 and 150 ms after the stage reports that it
    # has parsed everything, i.e. while it builds and writes the tables (the kill tends to land mid-write)
    for when, delay in [("start", 0.2), ("start", 0.5), ("start", 1.0), ("parsed", 0.0), ("parsed", 0.03), ("parsed", 0.1)]:
        before = snapshot(out)
        proc = start_stage(project)
        if when == "parsed":
            assert proc.stdout.readline().startswith("parse: ")
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        trials.append((f"{when}+{delay}s", finished, proc.returncode, before, snapshot(out)))
    assert any(rc == -signal.SIGKILL for _, _, rc, _, _ in trials), "no run was killed"

    done = run_stage(project)  # the new run's complete outputs
    assert done.returncode == 0, done.stderr
    new = snapshot(out)
    assert digest(new) != digest(previous)
    for delay, _finished, _rc, before, after in trials:
        assert sorted(after) == PARSE_OUTPUTS, delay
        for name in PARSE_OUTPUTS:
            assert after[name] in (before[name], new[name]), f"{name} after a kill at {delay}s is partial"
    # (whether a kill at a fixed time lands before, during or after the writes depends on the
    # machine's speed: only the whole-file invariant above is asserted for every trial)
    # every table reads back whole; no temp file is taken for a table
    for name in PARSE_OUTPUTS:
        read_table(schema.TABLES[name[:-4]], out)
    assert sorted(p.name for p in out.glob("*.csv")) == PARSE_OUTPUTS


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from epnlp import schema
    from epnlp.io import write_table, write_tables

    out, n = Path(sys.argv[1]), int(sys.argv[2])
    paras = schema.PARAGRAPHS.frame([
        {"article_id": f"b{i % 97:02d}", "paragraph_id": i, "section_id": 0, "section": "Plot", "role": "plot",
         "is_list_item": False, "start": i, "end": i + 90, "text": "version B " * 9}
        for i in range(n)
    ])
    arts = schema.ARTICLES.frame([
        {"article_id": f"b{i:02d}", "title": "B", "source_file": f"b{i:02d}.txt", "sha256": "b" * 64,
         "encoding": "utf-8", "n_chars": 1, "n_words": 1, "series": None, "airdate": None}
        for i in range(97)
    ])
    print("ready", flush=True)
    while True:
        write_table(paras, schema.PARAGRAPHS, out)
        write_tables([(arts, schema.ARTICLES), (paras, schema.PARAGRAPHS)], out)
    """
)


def test_killed_writer_never_leaves_a_partial_table(tmp_path):
    """A process writing a large table in a loop, killed mid-write: each table is the old or the new
    complete file; the half-written temp file it leaves is never read as the table."""
    out = tmp_path / "processed"
    old_paras = schema.PARAGRAPHS.frame([
        {"article_id": "a", "paragraph_id": 0, "section_id": 0, "section": "Lead", "role": "lead",
         "is_list_item": False, "start": 0, "end": 9, "text": "version A"}
    ])
    old_arts = schema.ARTICLES.frame([
        {"article_id": "a", "title": "A", "source_file": "a.txt", "sha256": "a" * 64, "encoding": "utf-8",
         "n_chars": 9, "n_words": 2, "series": None, "airdate": None}
    ])
    write_table(old_paras, schema.PARAGRAPHS, out)
    write_table(old_arts, schema.ARTICLES, out)
    previous = snapshot(out)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")

    seen_temp = False
    versions: dict[str, set[bytes]] = {k: {v} for k, v in previous.items()}
    # at least four kills; more (up to 20, at other moments) until one lands mid-write, which a busy
    # machine can make rarer: the test must see a leftover temp file to prove anything
    delays = (0.0, 0.1, 0.3, 0.6, *(0.05 * k for k in range(1, 17)))
    for n_kill, delay in enumerate(delays):
        if n_kill >= 4 and seen_temp:
            break
        proc = subprocess.Popen([sys.executable, str(script), str(out), "40000"], cwd=tmp_path, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        after = snapshot(out)
        assert sorted(after) == ["articles.csv", "paragraphs.csv"]
        seen_temp |= bool(temp_files(out))
        paras = read_table(schema.PARAGRAPHS, out)  # parses whole, never the temp file
        arts = read_table(schema.ARTICLES, out)
        assert len(paras) in (1, 40000) and len(arts) in (1, 97), delay
        if len(paras) == 40000:
            assert (paras["text"] == "version B " * 9).all()
        for name, data in after.items():
            versions[name].add(data)
    for name, seen in versions.items():
        assert len(seen) <= 2, f"{name}: a third version (a partial file) was seen"
    assert seen_temp, "no kill landed mid-write (no leftover temp file): the test proved nothing"
    assert sorted(p.name for p in out.glob("*.csv")) == ["articles.csv", "paragraphs.csv"]
    # a later run cleans nothing up by accident and still writes whole tables
    write_table(old_paras, schema.PARAGRAPHS, out)
    assert snapshot(out)["paragraphs.csv"] == previous["paragraphs.csv"]


def test_outputs_have_the_usual_file_mode(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    path = write_table(schema.ARTICLES.frame([]), schema.ARTICLES, tmp_path)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_strict_fails_the_stage_on_a_reject_and_writes_nothing(tmp_path):
    bad = FIXTURES / "bad"
    articles = {
        SAMPLE.name: SAMPLE.read_bytes(),
        "empty.txt": b"",
        "infobox_no_colon.txt": (bad / "infobox_no_colon.txt").read_bytes(),
    }
    project = make_project(tmp_path / "p", articles, strict=False)
    out = project / "data" / "processed"

    lenient = run_stage(project)
    assert lenient.returncode == 0, lenient.stderr
    assert "reject: empty.txt: empty: file is empty" in lenient.stderr
    assert "warning: infobox_no_colon.txt:9: infobox_no_colon: " in lenient.stderr
    issues = read_table(schema.REJECTS, out)
    rej = issues[issues["severity"] == "reject"]
    assert rej[["source_file", "problem"]].values.tolist() == [["empty.txt", "empty"]]
    assert sorted(read_table(schema.ARTICLES, out)["source_file"]) == ["infobox_no_colon.txt", SAMPLE.name]
    written = snapshot(out)

    set_strict(project, True)
    (project / "data" / "raw" / "late_arrival.txt").write_bytes(SAMPLE.read_bytes())
    strict = run_stage(project)
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "empty.txt" in strict.stderr and "strict" in strict.stderr
    assert snapshot(out) == written  # the previous outputs stay, untouched

    (project / "data" / "raw" / "empty.txt").unlink()
    clean = run_stage(project)
    assert clean.returncode == 0, clean.stderr  # strict, but nothing rejected
    assert "late_arrival.txt" in set(read_table(schema.ARTICLES, out)["source_file"])
