"""The one CSV writer of the project: every cell that a spreadsheet would run as a formula is neutralised.

OWASP's rule for CSV injection: a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with ``'`` so Excel, LibreOffice and Google Sheets show it as text. Talk records
are user-supplied (``corpus add``), so a speaker or affiliation can carry such a payload.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with a leading ``'`` when it is a string a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Iterable[str] | None, rows: Iterable[Iterable[object]]) -> str:
    """CSV text (RFC 4180 quoting) of ``header`` (None: rows only, to append to a file that has one) and
    ``rows``, every cell passed through `safe_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    if header is not None:
        writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buf.getvalue()
