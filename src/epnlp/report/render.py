"""Where the HTML report's markup and assets come from: the Jinja2 templates, the CSS and the index's
script in the package's `templates/` folder, read once per process.

Two environments, both autoescaping (only `Markup` passes as HTML): the index (`index.html.j2`)
escapes with markupsafe (`'` -> `&#39;`), the article pages and the page shell (`article.html.j2`,
`page.html.j2`) with the standard library's `html.escape` (`'` -> `&#x27;`) and show a missing value
(None, NaN, pd.NA) as nothing. Both are valid HTML; each keeps the bytes its pages have always had.
"""

from __future__ import annotations

import functools
import hashlib
import html
from importlib import resources

from jinja2 import Environment, PackageLoader, Template
from markupsafe import Markup

from epnlp.report.tables import is_missing


def _stdlib_escaped(value: object) -> object:
    """Every `{{ value }}` of a page template: Markup as it is, a missing value as '', the rest escaped
    by `html.escape`."""
    if isinstance(value, Markup):
        return value
    return Markup("" if is_missing(value) else html.escape(str(value)))


@functools.cache
def _environment(stdlib_escape: bool) -> Environment:
    return Environment(
        loader=PackageLoader("epnlp.report", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=stdlib_escape, finalize=_stdlib_escaped if stdlib_escape else None,
    )


def index_template() -> Template:
    """`index.html.j2`, escaped by markupsafe."""
    return _environment(False).get_template("index.html.j2")


def page_template(name: str) -> Template:
    """A page template (`page.html.j2`, `article.html.j2`), escaped by `html.escape`."""
    return _environment(True).get_template(name)


@functools.cache
def asset(name: str) -> str:
    """A file of the package's `templates/` folder (the CSS and the index's script), read once."""
    return resources.files("epnlp.report").joinpath("templates", name).read_text(encoding="utf-8")


@functools.cache
def templates_fingerprint() -> str:
    """A hash of every file in `templates/`: part of a page's cache key, since they draw it as much as
    the Python code does (`cache.module_fingerprint` hashes modules only)."""
    h = hashlib.sha256()
    folder = resources.files("epnlp.report").joinpath("templates")
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()
