"""Did you mean: a query's unknown English words replaced by the closest words of the corpus.

The vocabulary is every Latin word of the talks (titles, abstracts, session titles, speakers'
names); a query word is unknown when neither it nor its stem occurs there. Its replacement is the
vocabulary word fewest edits away by rapidfuzz's optimal-string-alignment distance (a swap of two
letters is one edit), the more frequent word winning a tie.

A word the corpus lacks may still be a real word ("wine tasting" is not "wine testing",
"microscopy" not "microscopic"): a word that is common in English (wordfreq's Zipf frequency of
at least ``COMMON_ZIPF``, about three times per ten million words) is never replaced.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from corpus.models import Person, Talk

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
MIN_LENGTH = 4  # shorter words (acronyms, "GAN", "RL") are left alone
MIN_SEEN = 2  # a word printed once may be the programme's own typo ("transfomer")
# Measured on 3,000 real English words the corpus lacks and 1,475 one-edit typos of corpus words:
# 2.5 leaves 18 words "corrected" (82 without the rule) and keeps 1,301 of 1,307 typo fixes; the six
# lost are typos that are words themselves ("earning", "preset"). 2.0: 8 and 1,298; 3.0: 37 and 1,306.
COMMON_ZIPF = 2.5


def max_edits(word: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) allowed for a word of this length:
    one below ten letters, two from ten (a real word is rarely two edits from another long one)."""
    return 1 if len(word) < 10 else 2


def plausible(typed: str, fixed: str) -> bool:
    """Short words change only by a swap of letters ("modle"): one other edit turns a real short
    word into another ("pasta" -> "past")."""
    return len(typed) > 5 or sorted(typed) == sorted(fixed)


def common_english(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= COMMON_ZIPF


class Speller:
    def __init__(self, talks: Iterable[Talk], people: Iterable[Person] = ()) -> None:
        counts: Counter[str] = Counter()
        for t in talks:
            for text in (t.title, t.abstract, t.session_title, t.speaker):
                counts.update(w.lower() for w in _WORD.findall(text))
        for p in people:
            for name in (p.name, *p.aliases):
                counts.update(w.lower() for w in _WORD.findall(name))
        self.counts = counts
        self.stem = Stemmer.Stemmer("english").stemWord
        self.stems: Counter[str] = Counter()
        for w, n in counts.items():
            self.stems[self.stem(w)] += n
        self.words = [w for w, n in counts.items() if n >= MIN_SEEN and len(w) >= MIN_LENGTH - 1]
        # A longer word is more edits away than allowed from every vocabulary word: not looked up.
        self.max_length = max(map(len, self.words), default=0) + 2

    def known(self, word: str) -> bool:
        w = word.lower()
        return self.counts[w] >= MIN_SEEN or self.stems[self.stem(w)] >= MIN_SEEN

    def correct(self, word: str) -> str | None:
        """The vocabulary word closest to an unknown word, or None."""
        if not MIN_LENGTH <= len(word) <= self.max_length or self.known(word):
            return None
        w = word.lower()
        found = process.extract(w, self.words, scorer=OSA.distance, score_cutoff=max_edits(w), limit=20)
        found = [m for m in found if plausible(w, m[0])]
        if not found or common_english(w):  # looked up last: wordfreq loads its list on first use
            return None
        return min(found, key=lambda m: (m[1], -self.counts[m[0]], m[0]))[0]

    def suggestion(self, query: str) -> str | None:
        """The query with each unknown word corrected, or None when nothing changes."""
        changed = False

        def fix(m: re.Match) -> str:
            nonlocal changed
            better = self.correct(m.group())
            if better is None:
                return m.group()
            changed = True
            return better.capitalize() if m.group()[0].isupper() and m.group()[1:].islower() else better

        fixed = _WORD.sub(fix, query)
        return fixed if changed else None
