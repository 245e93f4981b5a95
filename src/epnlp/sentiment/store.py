"""The model folder: `save` writes a `sentiment.model.Model` as `meta.json` (settings, intercept, induced
lexicon) and one `.npy` array per weight vector and vocabulary; `load` reads it back without scikit-learn."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from epnlp.sentiment.features import Vectorizer
from epnlp.sentiment.model import Model, jsonable, model_params

META_FILE = "meta.json"
COEF_FILE = "coef.npy"
FORMAT_VERSION = 2  # 1: a joblib pickle of scikit-learn objects; 2: plain arrays, read without scikit-learn


def _meta(model: Model) -> dict[str, Any]:
    """What meta.json holds: the format, settings, sizes, intercept, blocks' settings and lexicon."""
    meta: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "method": "tfidf_ridge",
        "params": jsonable(model.params),
        "n_train": model.n_train,
        "seed": model.seed,
        "n_features": int(len(model.coef)),
        "intercept": model.intercept,
        "blocks": [b.config() for b in model.blocks],
        "lexicon": model.lexicon,
    }
    return meta  # no library versions: the same weights must give the same bytes on any machine


def _array_files(model: Model) -> dict[str, np.ndarray]:
    """File name -> array: the weights, and each block's terms and idf."""
    files = {COEF_FILE: model.coef}
    for k, b in enumerate(model.blocks):
        files[f"terms_{k}.npy"] = b.terms
        if b.idf is not None:
            files[f"idf_{k}.npy"] = b.idf
    return files


def save(model: Model, model_dir: Path) -> Path:
    """Write the model into `model_dir`: `meta.json` (settings, intercept) and one `.npy` array per
    weight vector and vocabulary, each atomically; the same model gives the same bytes. Returns the folder."""
    import io

    from epnlp.io import write_bytes, write_json  # here: epnlp.io loads pandas, which scoring never needs

    d = Path(model_dir)
    d.mkdir(parents=True, exist_ok=True)
    for name, arr in _array_files(model).items():
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
        write_bytes(d / name, buf.getvalue())
    write_json(d / META_FILE, _meta(model))
    return d


def load(model_dir: Path) -> Model:
    """Read a model written by `save` (no scikit-learn needed)."""
    d = Path(model_dir)
    if not (d / META_FILE).exists():
        raise FileNotFoundError(f"no sentiment model in {d} (run `dvc repro train_sentiment`)")
    meta = json.loads((d / META_FILE).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT_VERSION:
        raise ValueError(
            f"{d / META_FILE}: model format {meta.get('format')!r}, expected {FORMAT_VERSION}; "
            "retrain it with `dvc repro train_sentiment`"
        )

    def array(name: str) -> np.ndarray:
        return np.load(d / name, allow_pickle=False)

    blocks = [
        Vectorizer(
            b["analyzer"],
            (int(b["ngram_range"][0]), int(b["ngram_range"][1])),
            b["token_pattern"],
            bool(b["sublinear_tf"]),
            array(f"idf_{k}.npy") if b["use_idf"] else None,
            array(f"terms_{k}.npy"),
        )
        for k, b in enumerate(meta["blocks"])
    ]
    return Model(
        blocks, array(COEF_FILE), float(meta["intercept"]), model_params(meta["params"]),
        n_train=int(meta["n_train"]), seed=int(meta["seed"]), lexicon=dict(meta.get("lexicon", {})),
    )

