"""`epnlp.report` helpers the Markdown summary and the HTML pages share."""

from __future__ import annotations

import pandas as pd

from epnlp.report.tables import comparison_paragraph, typed_comparison


def _comp(**cols) -> pd.DataFrame:
    base = {"article_id": "a", "review_id": [0, 1, 2], "outlet": ["Kettle Weekly", "Dockside", "Pier Post"], "author": [None, "Pat Lee", None],
            "year": [2020, 2021, None], "favourability": [0.5, 0.5, float("nan")], "polarity": ["positive", "mixed", "negative"],
            "agreement": ["agree", "disagree", None], "sentiment": [0.4, -0.2, 0.1], "verdict": [0.6, 0.7, float("nan")]}
    return pd.DataFrame({**base, **cols})


def test_comparison_paragraph_ranks_ties_by_review_and_skips_the_unranked():
    text = comparison_paragraph(typed_comparison(_comp()))
    assert text.startswith("Most favourable: Kettle Weekly (2020), positive (favourability +0.50). "
                           "Least favourable: Pat Lee (Dockside, 2021), mixed (favourability +0.50).")
    assert "For Pat Lee (Dockside, 2021) the words and the score differ: text sentiment -0.20 vs verdict +0.70 (disagree)." in text
    assert "Pier Post" not in text  # no favourability: neither most nor least
    agreeing = comparison_paragraph(typed_comparison(_comp(agreement=["agree", pd.NA, "agree"], favourability=[0.1, 0.9, 0.3])))
    assert agreeing.startswith("Most favourable: Pat Lee (Dockside, 2021)") and "Least favourable: Kettle Weekly (2020)" in agreeing
    assert agreeing.endswith("Where critics gave a score or rank, their words agree with it.")


def test_typed_comparison_types_once():
    typed = typed_comparison(_comp())
    assert str(typed["year"].dtype) == "Int64" and typed["year"].tolist()[:2] == [2020, 2021]
    assert typed_comparison(typed) is typed
