"""The docs the NLP pass keeps for later stages (reception paragraphs): packed as DocBin arrays per
article, written as one DocBin plus their contexts, and read back lazily by article."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from spacy.tokens import Doc, DocBin

from epnlp.io import write_bytes, write_text


@dataclass(frozen=True, eq=False)
class PackedDocs:
    """Docs as a `DocBin` holds them (per doc: a token-attribute array, a spaces array, cats, flags,
    serialised span groups; and the strings they use), kept as arrays rather than DocBin's compressed
    msgpack bytes. Cached articles' docs then merge by extending lists: `DocBin.from_bytes` looks up
    srsly's decoder registry (entry points) on every call, about a millisecond each, which was a second
    of every run over 1,000 cached articles. Pickles (cache, worker processes) as plain numpy arrays."""

    attrs: tuple[int, ...]
    tokens: list
    spaces: list
    cats: list[dict]
    flags: list[dict]
    span_groups: list[bytes]
    strings: frozenset[str]

    @classmethod
    def of(cls, docs: list[Doc]) -> PackedDocs:
        """`docs` as `DocBin(docs=docs)` stores them (no user_data)."""
        b = DocBin(docs=docs)
        return cls(tuple(b.attrs), b.tokens, b.spaces, b.cats, b.flags, b.span_groups, frozenset(b.strings))

    def __len__(self) -> int:
        return len(self.tokens)

    def add_to(self, target) -> None:
        """Append these docs to the DocBin `target`: `DocBin.merge` without decoding bytes."""
        if tuple(target.attrs) != self.attrs:
            raise ValueError(f"kept docs stored with attributes {self.attrs}, the DocBin has {tuple(target.attrs)}")
        target.tokens.extend(self.tokens)
        target.spaces.extend(self.spaces)
        target.cats.extend(self.cats)
        target.flags.extend(self.flags)
        target.span_groups.extend(self.span_groups)
        target.user_data.extend([None] * len(self))
        target.strings.update(self.strings)

    def docs(self, vocab) -> list[Doc]:
        """The Doc objects, in order."""
        b = DocBin()
        self.add_to(b)
        return list(b.get_docs(vocab))


def with_contexts(docs: Iterable[Doc], contexts: list[dict]) -> list[Doc]:
    """`docs` with `user_data['ctx']` set from `contexts` (same order and length)."""
    out = list(docs)
    if len(out) != len(contexts):
        raise ValueError(f"{len(out)} kept docs but {len(contexts)} contexts")
    for d, ctx in zip(out, contexts, strict=True):
        d.user_data["ctx"] = dict(ctx)
    return out


class HasKeptDocs(Protocol):
    """What `KeptDocs.add` takes from an article's result (`epnlp.nlp.pipeline.ArticleResult`)."""

    docs: PackedDocs | None
    contexts: list[dict]


class KeptDocs:
    """The kept docs of every article, written as a DocBin without user_data (decoding user_data costs
    about a millisecond a doc in srsly) plus `<name>.ctx.json`, the docs' contexts in the same order."""

    def __init__(self) -> None:
        self.bin = DocBin()
        self.contexts: list[dict] = []

    def add(self, result: HasKeptDocs) -> None:
        """Append one article's kept docs and their contexts."""
        if result.docs is not None:
            result.docs.add_to(self.bin)
            self.contexts.extend(result.contexts)

    def write(self, path: Path) -> None:
        """Both files, each written atomically."""
        path = Path(path)
        write_bytes(path, self.bin.to_bytes())
        write_text(context_path(path), json.dumps(self.contexts, separators=(",", ":")) + "\n")


def context_path(docs_path: Path) -> Path:
    """Where the contexts of the kept docs in `docs_path` are written."""
    return Path(docs_path).with_suffix(".ctx.json")


class KeptDocsFile:
    """The docs written by `KeptDocs.write`, read lazily: the contexts at once, the DocBin when docs are
    first asked for, and Doc objects built only for the articles asked for."""

    def __init__(self, path: Path, vocab):
        self.path = Path(path)
        self.vocab = vocab
        self.contexts: list[dict] = json.loads(context_path(self.path).read_text(encoding="utf-8"))
        self._bin = None

    def docs(self, article_ids: Iterable[str] | None = None) -> list[Doc]:
        """The kept docs of `article_ids` (all if None), in file order, with `user_data['ctx']`."""
        if self._bin is None:
            self._bin = DocBin().from_disk(self.path)
            if len(self._bin) != len(self.contexts):
                raise ValueError(f"{self.path}: {len(self._bin)} docs but {len(self.contexts)} contexts")
        want = None if article_ids is None else set(article_ids)
        idx = [i for i, c in enumerate(self.contexts) if want is None or c["article_id"] in want]
        part = copy.copy(self._bin)  # the same strings and attributes, only the chosen docs' arrays
        for name in ("tokens", "spaces", "cats", "flags", "span_groups", "user_data"):
            rows = getattr(self._bin, name)
            setattr(part, name, [rows[i] for i in idx if i < len(rows)])
        return with_contexts(part.get_docs(self.vocab), [self.contexts[i] for i in idx])

