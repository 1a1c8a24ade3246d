"""Build an index from the corpus: tokens for BM25, passages and embeddings for FAISS."""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from sys import intern
from typing import NamedTuple

import numpy as np

from corpus.build import Corpus, load
from corpus.models import Person, Talk
from corpus.text import has_cjk
from index import vectors as vec
from index.bundle import SCHEMA_VERSION, IndexBundle, current_fingerprint, library_versions
from index.cache import EmbeddingCache
from index.encoders import Encoder, get_encoder, package_version
from index.layout import layout, talk_vectors
from index.lexical import FIELD_WEIGHTS, LexicalIndex
from index.lexicon import terms_of
from index.names import name_table
from index.parallel import map_chunks, merged, ordered_map
from index.passages import PassageTexts, passage_table
from index.settings import Settings
from index.store import LEXICAL_DIR, Store
from index.tokenize import Tokenizer, derive_user_words
from index.translation import build_table, document_table, document_terms, en_stems, stats_from_counts, zh_words

Progress = Callable[[str, int, int], None]
log = logging.getLogger("talksearch.build")  # a line per stage, with counts and seconds


def _stage(name: str, since: float, detail: str) -> float:
    now = time.perf_counter()
    log.info("%s: %s (%.1f s)", name, detail, now - since)
    return now


def person_terms(person: Person) -> list[str]:
    """Every way a person's name is written: Chinese, aliases, and aliases without spaces or hyphens."""
    names = [person.name, *person.aliases]
    joined = [re.sub(r"[\s\-]+", "", n) for n in names if not has_cjk(n)]
    return names + joined


def talk_text(talk: Talk) -> str:
    """What a talk says: its title and (unless it is a copy of another talk's) its abstract."""
    return f"{talk.title}\n{talk.abstract if not talk.duplicate_of else ''}"


def lexical_fields(talk: Talk, people: dict[str, Person]) -> dict[str, str]:
    """A talk's lexical fields but the translated one (``FIELD_WEIGHTS`` gives their weights)."""
    names = [n for pid in talk.person_ids if pid in people for n in person_terms(people[pid])] or talk.speakers
    return {
        "title": talk.title,
        "abstract": talk.abstract if not talk.duplicate_of else "",
        "people": " ".join(names),
        "session": talk.session_title,
        "affiliation": talk.affiliation,
    }


def talk_lang(talk: Talk) -> str | None:
    return talk.abstract_lang or talk.title_lang


class FirstPass(NamedTuple):
    """One pass of the tokenizer over a run of talks: each talk's field tokens, and the counts
    the term tables need (per Chinese text: words and candidate terms; per English text: stems)."""

    fields: list[dict[str, list[str]]]
    zh_df: Counter[str]
    zh_terms: Counter[str]
    en_df: Counter[str]


def first_pass(talks: Sequence[Talk], people: dict[str, Person], tok: Tokenizer) -> FirstPass:
    """Each talk's text is cut once (``Tokenizer.remembering``) for all of it. Tokens are interned:
    a corpus repeats a few hundred thousand distinct tokens tens of millions of times, and a
    worker's chunk then travels back (pickled) holding each distinct token once."""
    out = FirstPass([], Counter(), Counter(), Counter())
    for talk in talks:
        text = f"{talk.title}\n{talk.abstract}"
        with tok.remembering():
            fields = lexical_fields(talk, people).items()
            out.fields.append({name: [intern(t) for t in tok.tokens(value)] for name, value in fields})
            if talk_lang(talk) != "en":
                out.zh_df.update(zh_words(text, tok))
                out.zh_terms.update(terms_of(text, tok))
            if talk_lang(talk) != "zh":
                out.en_df.update(en_stems(text, tok))
    return out


def lexical_document(fields: dict[str, list[str]], translated: list[str]) -> list[str]:
    tokens: list[str] = []
    for name, field_tokens in [*fields.items(), ("translated", translated)]:
        tokens += field_tokens * FIELD_WEIGHTS[name]
    return tokens


def lexical_documents(parts: list[FirstPass], translated: list[list[str]]) -> Iterator[list[str]]:
    """Each talk's lexical document, its token lists let go as soon as it is made."""
    row = 0
    for part in parts:
        for i, fields in enumerate(part.fields):
            part.fields[i] = {}
            yield lexical_document(fields, translated[row])
            translated[row] = []
            row += 1
    if row != len(translated):
        raise ValueError(f"{row} talks' fields but {len(translated)} talks' translated terms")


EMBED_BATCH = 64


def embed_missing(
    cache: EmbeddingCache, todo: list[str], encoder: Encoder, progress: Progress | None, ray_address: str | None
) -> None:
    """Embed ``todo`` into the cache in batches of 64: here, or as a Ray Data job (``ray_address``)
    whose encoder actors get the very same batches, so the vectors are identical."""
    batches = [todo[i : i + EMBED_BATCH] for i in range(0, len(todo), EMBED_BATCH)]
    if ray_address is None or not batches:
        done = ((i, encoder.encode_documents(b)) for i, b in enumerate(batches))
    else:
        from index.ray_embed import embed

        name = encoder.name
        make = (lambda: get_encoder(name)) if _named(name) else type(encoder)  # others: made without arguments
        done = embed(make, batches, ray_address)
    for i, vectors in done:
        cache.put(batches[i], vectors)
        if progress:
            progress("embedding", min((i + 1) * EMBED_BATCH, len(todo)), len(todo))


def _named(name: str) -> bool:
    """An encoder ``get_encoder`` can make from its name (the actors make their own)."""
    return name in ("use-multilingual", "e5-small") or name.startswith("st:")


def build_bundle(
    corpus: Corpus,
    encoder: Encoder,
    store: Store,
    into: Path,
    index_type: str = "flat",
    progress: Progress | None = None,
    ray_address: str | None = None,
) -> IndexBundle:
    started = time.perf_counter()
    tok = Tokenizer(derive_user_words(f"{t.title}\n{t.abstract}" for t in corpus.talks))
    tok.segmenter.check_initialized()  # the user dictionary, loaded before worker processes are forked
    mark = _stage("user words", started, f"{len(tok.user_words)} words induced")
    people = {p.id: p for p in corpus.people}
    parts = map_chunks(lambda chunk: first_pass(chunk, people, tok), corpus.talks)
    mark = _stage("tokens", mark, f"{len(corpus.talks)} talks cut")
    zh_texts = [f"{t.title}\n{t.abstract}" for t in corpus.talks if talk_lang(t) != "en"]
    en_texts = [f"{t.title}\n{t.abstract}" for t in corpus.talks if talk_lang(t) != "zh"]
    zh_df, en_df = merged(p.zh_df for p in parts), merged(p.en_df for p in parts)
    stats = stats_from_counts(zh_df, en_df, len(zh_texts), len(en_texts), tok)
    terms = build_table(zh_texts, en_texts, tok, stats, merged(p.zh_terms for p in parts))
    doc_terms = document_table(zh_texts, en_texts, tok, terms, stats)
    del zh_texts, en_texts, zh_df, en_df
    mark = _stage("term tables", mark, f"{len(terms.glossary)} glossary terms")
    term_tokens: dict[str, list[str]] = {}  # the vocabulary of translations is small: tokenize each term once

    def translated_tokens(talk: Talk) -> list[str]:
        out: list[str] = []
        for term in document_terms(talk_text(talk), doc_terms, tok):
            if term not in term_tokens:
                term_tokens[term] = tok.tokens(term)
            out += term_tokens[term]
        return out

    translated = ordered_map(translated_tokens, corpus.talks)
    mark = _stage("translated", mark, "documents' translated terms")
    lexical = LexicalIndex.build(lexical_documents(parts, translated))
    del parts, translated
    lexical.save(into / LEXICAL_DIR)  # written now and mapped back: the vector stage needs the memory
    lexical = LexicalIndex.load(into / LEXICAL_DIR, mmap=True)
    mark = _stage("lexical", mark, f"BM25 over {len(corpus.talks)} talks")

    texts, passage_talk, passage_kind = passage_table(corpus.talks)
    texts.save(into)  # likewise (1.8 GB at a million talks)
    texts = PassageTexts.load(into)
    cache = EmbeddingCache(store.root, encoder.name, encoder.dimension)
    todo = cache.missing(texts)
    log.info("embedding: %d passages, %d not in the cache", len(texts), len(todo))
    embed_missing(cache, todo, encoder, progress, ray_address)
    cache.save(keep=texts)
    matrix, rows = cache.matrix(), cache.rows(texts)  # passage i's vector: matrix[rows[i]], never copied whole
    mark = _stage("embedding", mark, f"{len(todo)} passages embedded with {encoder.name}")
    index = vec.build(matrix, np.arange(len(texts)), index_type, rows=rows)
    talk_langs = [t.abstract_lang or t.title_lang for t in corpus.talks]
    coords = layout(talk_vectors(matrix, passage_talk, passage_kind, len(corpus.talks), rows), talk_langs)
    _stage("vectors", mark, f"{vec.describe(index)} over {len(texts)} passages, topic map")

    manifest = {
        "schema_version": SCHEMA_VERSION,
        "encoder": {
            "name": encoder.name,
            "package": encoder.package,
            "package_version": package_version(encoder.package),
            "dimension": encoder.dimension,
        },
        "corpus_fingerprint": current_fingerprint(store),
        "counts": {
            "talks": len(corpus.talks),
            "people": len(corpus.people),
            "topics": len(corpus.topics),
            "passages": len(texts),
            "embedded_now": len(todo),
        },
        "index_type": vec.describe(index),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 2),
        "libraries": library_versions(),
        "settings": Settings().to_dict(),
        "term_table": terms.provenance,
    }
    return IndexBundle(
        talks=corpus.talks,
        people=corpus.people,
        topics=corpus.topics,
        tokenizer=tok,
        lexical=lexical,
        vectors=index,
        passage_talk=passage_talk,
        passage_kind=passage_kind,
        passage_text=texts,
        terms=terms,
        names=name_table(corpus.people),
        manifest=manifest,
        layout=coords,
    )


def build(
    store: Store,
    encoder_name: str,
    index_type: str = "flat",
    progress: Progress | None = None,
    encoder: Encoder | None = None,
    ray_address: str | None = None,
) -> IndexBundle:
    """Parse the corpus (bundled sources + user talks), index it and write it atomically.

    ``ray_address``: embed as a Ray Data job on that cluster (``local``: a Ray instance here)."""
    started = time.perf_counter()
    store.check_writable()
    corpus = load(extra=store.user_talks())
    mark = _stage("corpus", started, f"{len(corpus.talks)} talks, {len(corpus.people)} people parsed")
    encoder = encoder or get_encoder(encoder_name)
    with store.building() as into:
        bundle = build_bundle(corpus, encoder, store, into, index_type, progress, ray_address)
        bundle.manifest["build_seconds"] = round(time.perf_counter() - started, 2)
        mark = time.perf_counter()
        store.write_index(bundle, into)
    _stage("write", mark, f"verified index written to {store.index_dir}")
    return bundle
