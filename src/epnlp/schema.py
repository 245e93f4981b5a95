"""The one place that defines every table's columns, types and sort keys."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# Column type codes: "str" (text), "int", "float", "bool".
_PANDAS = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}


class SchemaError(ValueError):
    """A table does not match its schema; the message names the table and the column."""


@dataclass(frozen=True)
class Table:
    """A tidy table: ordered columns with types, the sort key, and columns that may be empty."""

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    nullable: frozenset[str] = field(default_factory=frozenset)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def frame(self, rows: list[dict] | None = None) -> pd.DataFrame:
        """Build a typed, sorted frame with exactly this table's columns from row dicts."""
        df = pd.DataFrame(rows or [], columns=list(self.columns))
        return self.conform(df)

    def conform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Select, type and sort the columns; raise SchemaError naming any missing column."""
        missing = [c for c in self.columns if c not in df.columns]
        if missing:
            raise SchemaError(f"table {self.name}: missing column(s) {', '.join(missing)}")
        df = df.loc[:, list(self.columns)].copy()
        for col, kind in self.columns.items():
            try:
                if kind == "int" and df[col].dtype.kind == "f":
                    df[col] = df[col].round()
                df[col] = df[col].astype(_PANDAS[kind])
            except (TypeError, ValueError) as exc:
                raise SchemaError(f"table {self.name}: column {col} is not {kind}: {exc}") from exc
        if len(df):
            df = df.sort_values(list(self.key), kind="mergesort").reset_index(drop=True)
        self.validate(df)
        return df

    def validate(self, df: pd.DataFrame) -> None:
        """Check the column set and that non-nullable columns have no empty cells."""
        if list(df.columns) != list(self.columns):
            raise SchemaError(
                f"table {self.name}: columns {list(df.columns)} != expected {list(self.columns)}"
            )
        for col in self.columns:
            if col not in self.nullable and df[col].isna().any():
                n = int(df[col].isna().sum())
                raise SchemaError(f"table {self.name}: column {col} has {n} empty value(s)")
        if len(df) and df.duplicated(list(self.key)).any():
            raise SchemaError(f"table {self.name}: duplicate rows for key {self.key}")


def _t(name: str, columns: str, key: str, nullable: str = "") -> Table:
    cols = dict(item.split(":") for item in columns.split())
    return Table(name, cols, tuple(key.split()), frozenset(nullable.split()))


ARTICLES = _t(
    "articles",
    "article_id:str title:str source_file:str sha256:str encoding:str n_chars:int n_words:int "
    "series:str airdate:str",
    "article_id",
    "series airdate",
)
INFOBOX = _t(
    "infobox",
    "article_id:str key:str position:int value:str start:int end:int line:int "
    "role:str role_start:int role_end:int",
    "article_id key position",
    "role role_start role_end",
)
SECTIONS = _t(
    "sections",
    "article_id:str section_id:int title:str level:int parent_id:int role:str start:int end:int",
    "article_id section_id",
    "parent_id",
)
PARAGRAPHS = _t(
    "paragraphs",
    "article_id:str paragraph_id:int section_id:int section:str role:str is_list_item:bool "
    "start:int end:int text:str",
    "article_id paragraph_id",
)
CLEAN_PARAGRAPHS = _t(
    "clean_paragraphs",
    "article_id:str paragraph_id:int clean_text:str",
    "article_id paragraph_id",
)
CLEAN_EDITS = _t(
    "clean_edits",
    "article_id:str paragraph_id:int start:int end:int text:str replacement:str rule:str",
    "article_id start",
)
SENTENCES = _t(
    "sentences",
    "article_id:str sentence_id:int section:str role:str paragraph_id:int start:int end:int "
    "text:str",
    "article_id sentence_id",
)
ENTITIES = _t(
    "entities",
    "article_id:str sentence_id:int section:str role:str start:int end:int text:str label:str "
    "canonical:str kind:str source:str",
    "article_id start end",
)
CHARACTERS = _t(
    "characters",
    "article_id:str canonical:str aliases:str mentions:int first_sentence_id:int paragraphs:int sections:str",
    "article_id canonical",
)
COOCCURRENCE = _t(
    "cooccurrence",
    "article_id:str character_a:str character_b:str sentences_together:int",
    "article_id character_a character_b",
)
SENTIMENT = _t(
    "sentiment",
    "article_id:str sentence_id:int section:str role:str compound:float positive:float "
    "neutral:float negative:float label:str method:str evidence:str",
    "article_id sentence_id",
)
REVIEWS = _t(
    "reviews",
    "article_id:str review_id:int outlet:str year:int author:str score_text:str score:float "
    "score_max:float score_norm:float rank:int rank_list:str quote:str start:int end:int "
    "sentence_ids:str n_sentences:int sentiment:float verdict:float polarity:str agreement:str "
    "evidence:str evidence_sentence_id:int",
    "article_id review_id",
    "outlet year author score_text score score_max score_norm rank rank_list quote sentiment verdict "
    "evidence_sentence_id",
)
REVIEW_QUOTES = _t(
    "review_quotes",
    "article_id:str review_id:int quote_id:int start:int end:int text:str sentiment:float",
    "article_id review_id quote_id",
)
REVIEW_ASPECTS = _t(
    "review_aspects",
    "article_id:str review_id:int sentence_id:int clause_id:int target:str target_type:str "
    "polarity:str compound:float start:int end:int text:str",
    "article_id review_id sentence_id clause_id target",
)
PLOT_ARC = _t(
    "plot_arc",
    "article_id:str sentence_id:int paragraph_id:int section:str plot_index:int position:float "
    "compound:float smoothed:float is_low:bool is_high:bool start:int end:int text:str",
    "article_id sentence_id",
)
PLOT_ARC_PARAGRAPHS = _t(
    "plot_arc_paragraphs",
    "article_id:str paragraph_id:int n_sentences:int first_position:float last_position:float "
    "mean_compound:float min_compound:float max_compound:float",
    "article_id paragraph_id",
)
READABILITY = _t(
    "readability",
    "article_id:str section_id:int section:str role:str n_sentences:int n_words:int "
    "flesch_reading_ease:float flesch_kincaid_grade:float gunning_fog:float smog_index:float "
    "coleman_liau_index:float automated_readability_index:float "
    "dale_chall_readability_score:float text_standard:str",
    "article_id section_id",
)
REJECTS = _t(
    "rejects",
    "article_id:str source_file:str line:int severity:str problem:str message:str",
    "article_id severity problem line message",
    "line",
)

# Critics compared across the corpus (stage `compare`).
EPISODE_CONSENSUS = _t(
    "episode_consensus",
    "article_id:str series:str season:int episode:int airdate:str n_reviews:int n_scored:int "
    "score_mean:float score_median:float score_sd:float score_range:float sentiment_mean:float "
    "sentiment_sd:float sentiment_range:float majority_polarity:str agreement:float "
    "most_favourable_review_id:int least_favourable_review_id:int",
    "article_id",
    "series season episode airdate score_mean score_median score_sd score_range sentiment_mean sentiment_sd "
    "sentiment_range majority_polarity agreement most_favourable_review_id least_favourable_review_id",
)
_SOURCE_STATS = (
    "n_reviews:int n_episodes:int n_scored:int score_mean:float sentiment_mean:float leniency:float "
    "leniency_low:float leniency_high:float n_leniency:int sentiment_leniency:float "
    "sentiment_leniency_low:float sentiment_leniency_high:float n_sentiment_leniency:int "
    "words_score_agreement:float"
)
_SOURCE_NULLABLE = (
    "score_mean leniency leniency_low leniency_high sentiment_leniency sentiment_leniency_low "
    "sentiment_leniency_high words_score_agreement"
)
OUTLET_STATS = _t("outlet_stats", "outlet:str " + _SOURCE_STATS, "outlet", _SOURCE_NULLABLE)
CRITIC_STATS = _t("critic_stats", "critic:str " + _SOURCE_STATS, "critic", _SOURCE_NULLABLE)
SEASON_TRENDS = _t(
    "season_trends",
    "series:str season:int episode_order:int article_id:str episode:int airdate:str score_consensus:float "
    "sentiment_consensus:float score_rolling:float sentiment_rolling:float",
    "series season episode_order",
    "series season episode airdate score_consensus sentiment_consensus score_rolling sentiment_rolling",
)
NAME_MERGES = _t(
    "name_merges",
    "kind:str raw:str canonical:str n_reviews:int rule:str",
    "kind canonical raw",
)

# Evaluation reports on the development corpus (reports/, not data/processed): every miss, one per row.
REVIEW_ERRORS = _t(
    "review_errors",
    "article_id:str half:str error:str gold_outlet:str gold_author:str gold:str extracted:str "
    "review_id:int evidence:str",
    "half article_id error gold_author gold_outlet review_id extracted",
    "gold_outlet gold_author gold extracted review_id evidence",
)
CHARACTER_ERRORS = _t(
    "character_errors",
    "article_id:str half:str error:str name:str detail:str",
    "half article_id error name detail",
)

# `entities.kind` of a mention from its spaCy NER label alone, when nothing in the article says more.
LABEL_KINDS: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "NORP": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "WORK_OF_ART": "work",
    "DATE": "date",
    "TIME": "date",
    "PRODUCT": "other",
    "EVENT": "other",
    "LAW": "other",
    "LANGUAGE": "other",
}


def kind_of_label(label: str) -> str:
    """A coarse `entities.kind` for a model NER label ("other" for labels not listed)."""
    return LABEL_KINDS.get(label, "other")


# Each stage writes the problems it finds itself: `rejects` (files rejected, parse warnings) by the parse
# stage, `review_issues` (e.g. a reception naming no critic) by the reviews stage; same columns.
REVIEW_ISSUES = Table("review_issues", REJECTS.columns, REJECTS.key, REJECTS.nullable)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        ARTICLES,
        INFOBOX,
        SECTIONS,
        PARAGRAPHS,
        CLEAN_PARAGRAPHS,
        CLEAN_EDITS,
        SENTENCES,
        ENTITIES,
        CHARACTERS,
        COOCCURRENCE,
        SENTIMENT,
        REVIEWS,
        REVIEW_QUOTES,
        REVIEW_ASPECTS,
        PLOT_ARC,
        PLOT_ARC_PARAGRAPHS,
        READABILITY,
        REJECTS,
        REVIEW_ISSUES,
        EPISODE_CONSENSUS,
        OUTLET_STATS,
        CRITIC_STATS,
        SEASON_TRENDS,
        NAME_MERGES,
    )
}
