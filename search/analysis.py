"""Stage 2 of a search: what the retrievers read — the query's index tokens and its translations.

Parsing (search.query) says who the query names and in which language it is; analysis turns the
rest into lexical tokens and other-language terms. Both results are immutable: later stages derive
from them, they never write back.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.bundle import IndexBundle
from index.settings import SearchSettings
from index.tokenize import without_question_words
from index.translation import Translation, translate_query
from search.query import ParsedQuery


@dataclass(frozen=True)
class QueryAnalysis:
    parsed: ParsedQuery
    text: str  # what the dense and lexical sides read: the query without the names it contains
    tokens: tuple[str, ...]  # index tokens of ``text``
    translations: tuple[str, ...] = ()  # other-language terms added to the lexical query
    translated_tokens: tuple[str, ...] = ()
    translated_share: float = 0.0  # share of the query's IDF mass its translated words carry
    # A mixed query ('大模型 reasoning') is completed in each talk's own language.
    mixed: bool = False

    @property
    def lang(self) -> str:
        return self.parsed.lang


def analyze(
    parsed: ParsedQuery,
    bundle: IndexBundle,
    settings: SearchSettings,
    translate: bool = True,
    text: str | None = None,
) -> QueryAnalysis:
    """Tokens and translations of a parsed query (``text`` replaces the query's words, e.g. a topic's
    title and description)."""
    query_text = text if text is not None else parsed.rest or parsed.folded
    lexical_text = without_question_words(query_text)
    tok = bundle.tokenizer
    tokens = tok.tokens(lexical_text) if (parsed.rest or not parsed.people) else []
    found = Translation([], [])
    if translate and tokens:
        found = translate_query(lexical_text, bundle.terms, tok)
    translated_tokens = tok.tokens(" ".join(found.terms))
    mixed = parsed.lang == "mixed" and bool(found.pairs)
    share = 0.0
    if mixed:
        share = 1.0
    elif found.pairs:
        sources = [t for source in dict.fromkeys(s for s, _ in found.pairs) for t in tok.tokens(source)]
        share = bundle.lexical.idf_share(sources, sources + found.untranslated)
    return QueryAnalysis(
        parsed=parsed,
        text=query_text,
        tokens=tuple(tokens),
        translations=tuple(found.terms),
        translated_tokens=tuple(translated_tokens),
        translated_share=share,
        mixed=mixed,
    )
