"""Text clean-up shared by the parsers: markup removal, line joining, normalisation, language."""

from __future__ import annotations

import re
import unicodedata

# The one definition of Chinese characters (CJK unified ideographs, extension A, compatibility
# ideographs), for character classes: f"[{CJK}]".
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
_MARKUP = re.compile(r"</?(?:p|b|u|i|em|strong|sup|sub|br|span|div)\b[^>]*>", re.I)
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_BOLD = re.compile(r"\*\*")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
# A CJK character on each side of a run of spaces: the spaces are layout, not text.
_CJK_GAP = re.compile(f"(?<=[{CJK}\uff08\uff09\u3001\uff0c\u3002\uff1a\uff1b])[ \t\u3000]+(?=[{CJK}])")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def strip_markup(line: str) -> str:
    """Remove markdown headings/bold and the HTML tags PDF/web extraction leaves behind."""
    line = _AUTOLINK.sub(r"\1", line)
    line = _MARKUP.sub(" ", line)
    line = _HEADING.sub("", line)
    line = _BOLD.sub("", line)
    return line


def squash(text: str) -> str:
    """Collapse runs of blanks; drop blanks between two CJK characters."""
    text = _SPACES.sub(" ", text).strip()
    return _CJK_GAP.sub("", text)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space between CJK characters, one between Latin words.

    A line that ends in a hyphenated word fragment ("ill-" + "posed") keeps the hyphen and
    joins without a space, as the PDF printed it.
    """
    out = ""
    for raw in lines:
        line = squash(raw)
        if not line:
            continue
        out = line if not out else out + ("" if _glues(out, line) else " ") + line
    return squash(out)


def _glues(before: str, after: str) -> bool:
    """True where the line break is inside Chinese text or splits a hyphenated Latin word."""
    cjk_join = bool(CJK_CHAR.match(after[0])) and (bool(CJK_CHAR.match(before[-1])) or before[-1] in "，。：；、（）“”")
    hyphen_join = before.endswith("-") and after[0].isalpha() and len(before) > 1 and before[-2].isalpha()
    return cjk_join or hyphen_join


def normalize(text: str) -> str:
    """NFKC form used for matching: full-width folded, case folded, blanks squashed."""
    return squash(unicodedata.normalize("NFKC", text)).casefold()


def language(text: str) -> str:
    """Classify text as 'zh', 'en' or 'mixed' by its share of Chinese characters.

    A Latin word counts as about two Chinese characters of content; abstracts that are
    substantially both count as mixed.
    """
    han = len(CJK_CHAR.findall(text))
    latin = len(_LATIN_WORD.findall(text)) * 2
    if han + latin == 0:
        return "en"
    share = han / (han + latin)
    if share >= 0.65:
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"


def has_cjk(text: str) -> bool:
    return bool(CJK_CHAR.search(text))


PLACEHOLDER = re.compile(r"^\s*(?:TBA|TBD|\(TBD\)|（TBD）|无|待定)\s*[.。]?\s*$", re.I)
_LEADING_PLACEHOLDER = re.compile(r"^\s*(?:\(TBD\)|（TBD）|TBA|TBD)\s*", re.I)


def strip_placeholder(text: str) -> str:
    """'' for a bare placeholder (TBA, (TBD), 无); "(TBD) real text" keeps the real text."""
    if PLACEHOLDER.match(text):
        return ""
    return _LEADING_PLACEHOLDER.sub("", text).strip()
