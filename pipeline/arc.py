"""Stage `arc`: the plot's sentiment arc (`plot_arc`, `plot_arc_paragraphs`) and its DVC plot files."""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.arc import paragraph_summary, plot_arc, plot_files
from epnlp.io import load_params, read_table, sync_folder, write_table
from epnlp.schema import PLOT_ARC, PLOT_ARC_PARAGRAPHS


def main() -> None:
    params = load_params()
    src = Path(params["data"]["processed_dir"])
    plots = Path(params["data"]["reports_dir"]) / "plots" / "arc"
    arc = plot_arc(read_table(schema.SENTENCES, src), read_table(schema.SENTIMENT, src), window=params["arc"]["window"])
    write_table(arc, PLOT_ARC, src)
    write_table(paragraph_summary(arc), PLOT_ARC_PARAGRAPHS, src)
    sync_folder(plots, plot_files(arc), "*.csv")
    print(f"arc: {len(arc)} plot sentences in {arc['article_id'].nunique()} article(s), window {params['arc']['window']}")


if __name__ == "__main__":
    main()
