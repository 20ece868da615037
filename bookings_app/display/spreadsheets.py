"""What every export of Rendez shares: text defused so a spreadsheet never runs it as a formula,
and CSV written in blocks (with a byte-order mark, so Excel reads UTF-8) for a streamed response.

The payments list (``display/payments_export.py``) and loyalty's points report
(``loyalty/exports.py``) both write through these.
"""

import csv
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BLOCK_ROWS = 1000


def defused(row: Iterable) -> list:
    """Text cells starting like a formula get a leading apostrophe; numbers stay numbers."""
    return [f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in row]


class _Line:
    """csv.writer writes into this and gets the line back, so nothing accumulates."""

    def write(self, text: str) -> str:
        return text


def csv_blocks(headers: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text of ``headers`` then ``rows`` (defused), in blocks of ``CSV_BLOCK_ROWS`` lines."""
    writer = csv.writer(_Line())
    block = ["\ufeff" + writer.writerow(headers)]
    for row in rows:
        block.append(writer.writerow(defused(row)))
        if len(block) >= CSV_BLOCK_ROWS:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)
