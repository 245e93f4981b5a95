"""The benchmark's results as Markdown: the targets (ratios against bare `nlp.pipe` measured in the same
run), then where the NLP stage's time goes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _pass_s(stage: dict[str, Any]) -> float | None:
    """Seconds of the NLP pass less the model load: the time inside `process` (a generator)."""
    t = stage["timers"]
    if not t.get("process", {}).get("calls"):
        return None
    return t["process"]["seconds"] - t.get("load_model", {}).get("seconds", 0.0)


def _fmt(x: float | None, spec: str = ",.0f") -> str:
    return "n/a" if x is None else format(x, spec)


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or not b else a / b


def summary(results: dict[str, Any]) -> dict[str, float | None]:
    """The headline numbers and ratios (the issue's targets) from `run_bench`'s results."""
    s, lg = results["small"], results["large"]
    w = lg["words"]
    bare = w / lg["bare_1"]["pipe_s"]
    pass_ = _ratio(w, _pass_s(lg["stage_1"]))
    stage = w / lg["stage_1"]["seconds"]
    out: dict[str, float | None] = {
        "bare_wps": bare,
        "pass_wps": pass_,
        "stage_wps": stage,
        "pass_vs_bare": _ratio(pass_, bare),
        "pass_vs_table": _ratio(pass_, _ratio(w, lg["bare_1"].get("pipe_table_s"))),
        "stage_vs_bare": stage / bare,
        "stage_s_small": s["stage_1"]["seconds"],
        "stage_s_large": lg["stage_1"]["seconds"],
        "stage_time_ratio": lg["stage_1"]["seconds"] / s["stage_1"]["seconds"],
        "pass_time_ratio": _ratio(_pass_s(lg["stage_1"]), _pass_s(s["stage_1"])),
        "bare_time_ratio": lg["bare_1"]["pipe_s"] / s["bare_1"]["pipe_s"],
        "rss_small_mb": s["stage_1"]["peak_rss_mb"]["self"],
        "rss_large_mb": lg["stage_1"]["peak_rss_mb"]["self"],
        "noop_repro_s": lg.get("noop_repro_s"),
        "noop_repro_s_small": s.get("noop_repro_s"),
        "full_repro_s": lg.get("full_repro_s"),
        "full_repro_s_small": s.get("full_repro_s"),
    }
    out["rss_ratio"] = out["rss_large_mb"] / out["rss_small_mb"]
    if "edit_one" in lg:
        out["edit_one_s"] = lg["edit_one"]["seconds"]
        out["edit_one_share"] = lg["edit_one"]["seconds"] / lg["full_repro_s"]
    if "stage_warm_1" in lg:
        out["stage_warm_s"] = lg["stage_warm_1"]["seconds"]
    if "stage_2" in lg:
        out["stage_speedup_2"] = lg["stage_1"]["seconds"] / lg["stage_2"]["seconds"]
        out["bare_speedup_2"] = lg["bare_1"]["pipe_s"] / lg["bare_2"]["pipe_s"]
        out["stage_s_large_2"] = lg["stage_2"]["seconds"]
        out["bare_wps_2"] = w / lg["bare_2"]["pipe_s"]
    return out


def _ok(x: float | None, good: Callable[[float], bool]) -> str:
    return "" if x is None else (" ✓" if good(x) else " ✗")


def _target_rows(s: dict[str, Any], lg: dict[str, Any], m: dict[str, float | None]) -> list[str]:
    """One row per measure with its target, and every run's seconds where there were several."""
    ns, nl = s["n"], lg["n"]
    ok = _ok
    rows = [
        "| measure | value | target |",
        "|---|---|---|",
        f"| bare `nlp.pipe`, 1 process ({nl} articles) | {_fmt(m['bare_wps'])} words/s | |",
        f"| NLP pass (`epnlp.nlp.pipeline.process` less model load: spaCy, entities, sentiment), 1 process | {_fmt(m['pass_wps'])} words/s"
        f" = **{_fmt(m['pass_vs_bare'], '.2f')}×** bare{ok(m['pass_vs_bare'], lambda x: x >= 0.85)} | ≥ 0.85× |",
        f"| (the same pass vs bare `nlp.pipe` on the stage's own pipeline, its attribute ruler as tables: epnlp's layers alone) |"
        f" {_fmt(m['pass_vs_table'], '.2f')}× | |",
        f"| NLP stage (whole `pipeline/nlp.py`: imports, model load, read, pass, write) | {_fmt(m['stage_wps'])} words/s"
        f" = **{_fmt(m['stage_vs_bare'], '.2f')}×** bare{ok(m['stage_vs_bare'], lambda x: x >= 0.85)} | ≥ 0.85× |",
    ]
    if "stage_speedup_2" in m:
        rows += [
            f"| NLP stage, 2 processes vs 1 ({nl} articles) | {m['stage_s_large_2']:.1f} s vs {m['stage_s_large']:.1f} s"
            f" = **{m['stage_speedup_2']:.2f}×**{ok(m['stage_speedup_2'], lambda x: x >= 1.7)} | ≥ 1.7× |",
            f"| bare `nlp.pipe`, 2 processes vs 1 (reference) | {_fmt(m['bare_wps_2'])} words/s = {m['bare_speedup_2']:.2f}× | |",
        ]
    rows += [
        f"| NLP stage time, {nl} vs {ns} articles | {m['stage_s_large']:.1f} s vs {m['stage_s_small']:.1f} s"
        f" = **{m['stage_time_ratio']:.2f}×**{ok(m['stage_time_ratio'], lambda x: x <= 10.5)} | ≤ 10.5× |",
        f"| (NLP pass only / bare pipe only) | {_fmt(m['pass_time_ratio'], '.2f')}× / {m['bare_time_ratio']:.2f}× | |",
        f"| NLP stage peak RSS, {nl} vs {ns} articles | {m['rss_large_mb']:,.0f} MB vs {m['rss_small_mb']:,.0f} MB"
        f" = **{m['rss_ratio']:.2f}×**{ok(m['rss_ratio'], lambda x: x <= 1.2)} | ≤ 1.2× |",
    ]
    if m["noop_repro_s"] is not None:
        rows += [
            f"| no-op `dvc repro` ({nl} / {ns} articles) | **{m['noop_repro_s']:.2f} s** / {m['noop_repro_s_small']:.2f} s{ok(m['noop_repro_s'], lambda x: x < 2)} | < 2 s |",
            f"| full `dvc repro` from scratch ({nl} / {ns} articles) | {m['full_repro_s']:.1f} s / {m['full_repro_s_small']:.1f} s | |",
        ]
    if m["noop_repro_s"] is not None and len(lg.get("noop_runs", [])) > 1:
        rows.append(f"| no-op runs ({nl} articles; the median counts) | {', '.join(f'{x:.2f}' for x in lg['noop_runs'])} s | |")
    if "edit_one_s" in m:
        rows.append(
            f"| one article of {nl} edited, `dvc repro` | {m['edit_one_s']:.1f} s = **{m['edit_one_share']:.1%}** of the full run"
            f"{ok(m['edit_one_share'], lambda x: x < 0.05)} ({', '.join(lg['edit_one']['stages'])}) | < 5% |"
        )
        if len(lg["edit_one"].get("runs", [])) > 1:
            rows.append(f"| edit runs (3 articles edited in turn; the median counts) | {', '.join(f'{x:.1f}' for x in lg['edit_one']['runs'])} s | |")
    if "stage_warm_s" in m:
        rows.append(f"| NLP stage, every article cached ({nl} articles) | {m['stage_warm_s']:.1f} s | |")
    for key, label in (("runs_1", "1 process"), ("runs_2", "2 processes")):
        if len(lg.get(key, {}).get("bare", [])) > 1:
            r = lg[key]
            rows.append(
                f"| runs, {label} ({nl} articles; the fastest counts) | bare {', '.join(f'{x:.1f}' for x in r['bare'])} s; "
                f"stage {', '.join(f'{x:.1f}' for x in r['stage'])} s | |"
            )
    return rows


def _header(c: dict[str, Any], s: dict[str, Any], lg: dict[str, Any]) -> str:
    """What was measured: corpus, model, code version, machine and its load."""
    ns, nl = s["n"], lg["n"]
    extra = ""
    if lg["articles"] > nl:
        extra = f"; each project also holds the {lg['articles'] - nl} repo article(s) dvc.yaml names as deps (counted in words)"
    return (
        f"Corpus: seed {c['seed']}, {len(c['templates'])} templates; {ns} articles ({s['words']:,} words, "
        f"{s['paragraphs']:,} paragraphs) and {nl} articles ({lg['words']:,} words, {lg['paragraphs']:,} "
        f"paragraphs){extra}. Model {c['model']} (disabled: {', '.join(c['disable']) or 'none'}), batch size "
        f"{c['batch_size']}, sentiment {c['sentiment']}; code {c.get('git') or 'unknown'}; {c['cpus']} CPUs, Python {c['python']}; load average "
        f"{c['loadavg_start'][0]:.2f} at start, {c['loadavg_end'][0]:.2f} at end; {c['total_s'] / 60:.1f} min in all."
    )


def _breakdown(lg: dict[str, Any]) -> list[str]:
    """Where the NLP stage's time goes: inclusive seconds of each timed library call."""
    nl = lg["n"]
    timers = lg["stage_1"]["timers"]
    total = lg["stage_1"]["seconds"]
    brk = [
        "",
        f"Where the NLP stage's {total:.1f} s go ({nl} articles, 1 process; inclusive wall seconds of each call):",
        "",
        "| function | calls | seconds | share of stage |",
        "|---|---|---|---|",
    ]
    brk.append(
        f"| bare `nlp.pipe` on the same texts (separate run) | 1 | {lg['bare_1']['pipe_s']:.1f} | {lg['bare_1']['pipe_s'] / total:.0%} |"
    )
    for name, t in sorted(timers.items(), key=lambda kv: -kv[1]["seconds"]):
        brk.append(f"| `{name}` | {t['calls']:,} | {t['seconds']:.2f} | {t['seconds'] / total:.1%} |")
    return brk


def format_table(results: dict[str, Any]) -> str:
    """Markdown tables: the targets, then where the stage's time goes."""
    c, s, lg = results["config"], results["small"], results["large"]
    rows = _target_rows(s, lg, summary(results))
    return _header(c, s, lg) + "\n\n" + "\n".join(rows) + "\n" + "\n".join(_breakdown(lg)) + "\n"
