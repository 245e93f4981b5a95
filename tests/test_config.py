"""Library calls take config dataclasses built once from params.yaml at the edge (`from_params`)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from epnlp.analyze import ChainConfig
from epnlp.nlp.known import EntityConfig
from epnlp.nlp.pipeline import NlpConfig


def test_nlp_config_reads_the_nlp_section_and_ignores_the_stages_paths():
    p = {"model": "m", "disable": ["ner"], "batch_size": 8, "n_process": 3, "shard_articles": 4, "score_batch": 50,
         "keep_roles": ["reception", "plot"], "docs_path": "x.spacy", "cache_dir": "cache"}
    cfg = NlpConfig.from_params(p)
    assert cfg == NlpConfig("m", ("ner",), 8, 3, 4, 50, ("reception", "plot"))
    assert NlpConfig.from_params({"model": "m"}) == NlpConfig("m")  # defaults for the rest
    with pytest.raises(FrozenInstanceError):
        cfg.model = "other"  # type: ignore[misc]


def test_chain_config_is_its_parts_from_params(params):
    cfg = ChainConfig.from_params(params)
    assert cfg.nlp == NlpConfig.from_params(params["nlp"])
    assert cfg.entities == EntityConfig.from_params(params["entities"], params["parse"]["guest_keys"])
    assert cfg.entities.gazetteer_dir == params["entities"]["gazetteer_dir"]
    assert cfg.sentiment == {"method": params["sentiment"]["method"], "threshold": params["sentiment"]["threshold"],
                             "model_dir": Path(params["sentiment"]["model_dir"]), "one_sentence": True}  # parser sentences
    assert cfg.arc_window == params["summarize"]["arc_window"] and cfg.max_bytes == params["parse"]["max_bytes"]
    bare = replace(cfg, entities=replace(cfg.entities, gazetteer_dir=None))  # a variant without gazetteers
    assert bare.entities.gazetteer_dir is None and cfg.entities.gazetteer_dir is not None


def test_an_empty_gazetteer_dir_means_none(params):
    e = {**params["entities"], "gazetteer_dir": ""}
    assert EntityConfig.from_params(e, ()).gazetteer_dir is None
