"""epnlp: an NLP pipeline over TV-episode articles (entities, critics' reviews, sentiment)."""

__version__ = "0.1.0"
