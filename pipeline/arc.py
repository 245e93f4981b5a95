"""Stage `arc`: the plot's sentiment arc (`plot_arc`, `plot_arc_paragraphs`) and its DVC plot files."""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.arc import paragraph_summary, plot_arc, plot_file_frame
from epnlp.io import load_params, read_table, write_table, write_text
from epnlp.schema import PLOT_ARC, PLOT_ARC_PARAGRAPHS


def main() -> None:
    params = load_params()
    src = Path(params["data"]["processed_dir"])
    plots = Path(params["data"]["reports_dir"]) / "plots" / "arc"
    arc = plot_arc(read_table(schema.SENTENCES, src), read_table(schema.SENTIMENT, src), window=params["arc"]["window"])
    write_table(arc, PLOT_ARC, src)
    write_table(paragraph_summary(arc), PLOT_ARC_PARAGRAPHS, src)
    # One file per article: `dvc plots show` draws one arc per file, titled by the file name.
    plots.mkdir(parents=True, exist_ok=True)
    keep = set()
    for aid, g in arc.groupby("article_id", sort=True):
        path = plots / f"{aid}.csv"
        write_text(path, plot_file_frame(g).to_csv(index=False, lineterminator="\n", float_format="%.6g"))
        keep.add(path.name)
    for stale in plots.glob("*.csv"):
        if stale.name not in keep:
            stale.unlink()
    print(f"arc: {len(arc)} plot sentences in {arc['article_id'].nunique()} article(s), window {params['arc']['window']}")


if __name__ == "__main__":
    main()
