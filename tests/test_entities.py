"""Entity layer: alias linking (pure, no model), gazetteers, and detection on small texts."""

from __future__ import annotations

import pandas as pd
import pytest

from epnlp.nlp.entities import (
    EntityConfig,
    EntityLayer,
    Gazetteer,
    GazetteerEntry,
    Known,
    Row,
    gazetteer_for,
    known_names,
    link,
    load_gazetteers,
    strip_title,
)
from epnlp.summary.characters import character_rows, cooccurrence_rows

TITLES = ["Captain", "Detective", "Dr.", "Lt.", "Officer"]


def row(i: int, text: str, kind: str = "person?", role: str = "plot", source: str = "model") -> Row:
    return Row(i, role, text, "PERSON", text, kind, source)


def canon(rows):
    return [(r.canonical, r.kind, r.source) for r in rows]


def test_short_forms_link_to_full_names_without_a_gazetteer():
    rows = [row(0, "Elena Reyes"), row(1, "Reyes"), row(2, "Elena"), row(3, "Detective Reyes"), row(4, "Nate Brody"), row(5, "Brody")]
    got = canon(link(rows, {}, TITLES))
    assert [c for c, _, _ in got] == ["Elena Reyes"] * 4 + ["Nate Brody"] * 2
    assert {k for _, k, _ in got} == {"character"}
    assert [s for _, _, s in got][1:4] == ["alias"] * 3


def test_shared_surname_goes_to_the_most_recent_full_name():
    rows = [row(0, "Gus Marsh"), row(1, "Lena Marsh"), row(2, "Marsh"), row(3, "Gus"), row(4, "Gus Marsh"), row(5, "Marsh")]
    assert [c for c, _, _ in canon(link(rows, {}, TITLES))] == ["Gus Marsh", "Lena Marsh", "Lena Marsh", "Gus Marsh", "Gus Marsh", "Gus Marsh"]


def test_actor_surname_in_a_review_links_to_the_credited_actor_not_a_character():
    known = {"Phil Morris": Known("Phil Morris", "person", "infobox"), "John Kelly": Known("John Kelly", "character", "infobox")}
    rows = [row(0, "John Kelly"), row(1, "Kelly"), row(5, "Morris", role="reception"), row(6, "Ann Critic", role="reception")]
    got = canon(link(rows, known, TITLES))
    assert got[1] == ("John Kelly", "character", "alias")
    assert got[2] == ("Phil Morris", "person", "alias")
    assert got[3][1] == "person"  # named only outside the plot: a real person


def test_gazetteer_and_possessive_forms():
    known = {"Seven": Known("Seven of Nine", "character", "gazetteer"), "Seven of Nine": Known("Seven of Nine", "character", "gazetteer")}
    got = canon(link([row(0, "Seven", source="gazetteer"), row(1, "Seven of Nine", source="gazetteer")], known, TITLES))
    assert got == [("Seven of Nine", "character", "gazetteer")] * 2


def test_one_kind_per_canonical_and_places_beat_organisations():
    rows = [row(0, "Saltmoor", kind="place"), row(1, "Saltmoor", kind="organisation"), row(2, "Saltmoor", kind="organisation")]
    assert {k for _, k, _ in canon(link(rows, {}, TITLES))} == {"place"}


def test_city_name_in_plot_links_to_a_character_of_that_name():
    rows = [row(0, "Tom Paris"), row(3, "Paris", kind="place")]
    assert canon(link(rows, {}, TITLES))[1] == ("Tom Paris", "character", "alias")


@pytest.mark.parametrize("raw, name", [("Lt. John Kelly", "John Kelly"), ("Captain Kathryn Janeway", "Kathryn Janeway"), ("Captain", "Captain")])
def test_strip_title(raw, name):
    assert strip_title(raw, {t.casefold().rstrip(".") for t in TITLES}) == name


def test_known_names_from_infobox_and_gazetteer():
    cfg = EntityConfig(person_keys=["Director"], guest_keys=["Guests"], work_keys=["Series"], titles=TITLES)
    gaz = Gazetteer(("Night Desk",), (GazetteerEntry("Ann Lee", "character", ("Lee",)),))
    names = known_names([("Director", "Bo Chen", None), ("Guests", "Cy Dunn", "Dr. Di Fox"), ("Series", "Night Desk", None)], gaz, cfg)
    assert names["Bo Chen"].kind == "person" and names["Cy Dunn"].kind == "person"
    assert names["Di Fox"] == Known("Di Fox", "character", "infobox")
    assert names["Lee"].canonical == "Ann Lee" and names["Night Desk"].kind == "work"


def test_gazetteer_files_load_and_are_chosen_by_series(tmp_path):
    (tmp_path / "night_desk.yaml").write_text(
        "series: [Night Desk]\nentries:\n  - canonical: Ann Lee\n    kind: character\n    aliases: [Lee]\n", encoding="utf-8"
    )
    gaz = load_gazetteers(tmp_path)
    assert gazetteer_for(gaz, "night desk").entries[0].aliases == ("Lee",)
    assert gazetteer_for(gaz, "Other Show") is None
    (tmp_path / "bad.yaml").write_text("entries:\n  - canonical: X\n    kind: spaceship\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml: entry 1"):
        load_gazetteers(tmp_path)


def test_character_tables_from_rows():
    ents = pd.DataFrame({
        "article_id": ["a"] * 5, "sentence_id": [0, 0, 1, 2, 2], "section": ["Plot"] * 5,
        "text": ["Ann Lee", "Bo", "Lee", "Bo", "Cy"], "canonical": ["Ann Lee", "Bo Chen", "Ann Lee", "Bo Chen", "Cy Dunn"],
        "kind": ["character", "character", "character", "character", "person"],
    })
    sents = pd.DataFrame({"article_id": ["a"] * 3, "sentence_id": [0, 1, 2], "paragraph_id": [0, 0, 1]})
    chars = {r["canonical"]: r for r in character_rows(ents, sents)}
    assert set(chars) == {"Ann Lee", "Bo Chen"}
    assert chars["Ann Lee"]["aliases"] == "Ann Lee; Lee" and chars["Bo Chen"]["paragraphs"] == 2
    assert cooccurrence_rows(ents) == [{"article_id": "a", "character_a": "Ann Lee", "character_b": "Bo Chen", "sentences_together": 1}]


@pytest.mark.slow
def test_detection_on_a_small_text(nlp, params):
    cfg = EntityConfig.from_params(params["entities"], params["parse"]["guest_keys"])
    known = {"Mira Holt": Known("Mira Holt", "character", "infobox")}
    layer = EntityLayer(nlp, cfg, {"x": known})
    docs = [nlp("Captain Mira Holt boards the Sable Wing, a small shuttle, with Detective Omar Vance."),
            nlp("Holt's plan works. Vance lands the Sable Wing near the harbour.")]
    mentions = [(k, m) for k, d in enumerate(docs) for m in layer(d, "x")]
    found = [(m.span.text, m.kind) for _, m in mentions]
    assert ("Mira Holt", "character") in found  # the title stays outside the span
    assert found.count(("Sable Wing", "vessel")) == 2  # the second time as a learned pattern
    assert ("Omar Vance", "person?") in found
    linked = link([Row(k, "plot", m.span.text, m.label, m.canonical, m.kind, m.source) for k, m in mentions], known, cfg.titles)
    by_text = {r.surface: (r.canonical, r.kind) for r in linked}
    assert by_text["Holt"] == ("Mira Holt", "character")
    assert by_text["Vance"] == ("Omar Vance", "character")
