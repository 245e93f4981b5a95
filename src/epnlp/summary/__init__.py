"""Per-article and corpus summaries: characters, the plot arc, readability, critics compared."""
