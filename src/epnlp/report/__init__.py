"""Reports: the CSV and Markdown summaries and the self-contained HTML site (charts, pages, templates)."""
