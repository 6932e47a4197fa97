"""Writing KPI tables as CSV: the machine format of export_kpi and the Swedish Excel
format of the pages' downloads. Both come from the same series tables.

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @,
tab or carriage return) get a leading apostrophe, in every format; a text that
is a plain negative number (the age band "-29") is a number to a spreadsheet,
not a formula, and is left as it is.
"""

from __future__ import annotations

import csv
import io
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def neutralise(text: str) -> str:
    """Stop spreadsheet formula injection: '=SUM(A1)' -> "'=SUM(A1)"; '-29' stays."""
    if text.startswith(FORMULA_PREFIXES) and not NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


def decimals_for(column: str) -> int | None:
    """Rounding of a column by its unit suffix: SEK to öre, % to 3 decimals, hours to 2."""
    if column.endswith("_pct"):
        return 3
    if column.endswith("_sek") or "hours" in column.split("_") or column == "value":
        return 2
    return None


def _cell(value, column: str, *, decimal_comma: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float) and not isinstance(value, bool):
        places = decimals_for(column)
        if places is None:
            text = str(value)
        else:
            # Half up on the shortest decimal form, like the pages (kpis.formatting).
            rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            text = f"{abs(rounded) if rounded == 0 else rounded:f}"
        return text.replace(".", ",") if decimal_comma else text
    return neutralise(str(value))


def to_csv(table: pd.DataFrame, *, swedish: bool = False) -> str:
    """The table as CSV text.

    Machine format (default): comma separated, decimal point, header row,
    missing values empty. Swedish (for Excel): semicolon, decimal comma.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if swedish else ",", lineterminator="\n")
    writer.writerow([neutralise(str(c)) for c in table.columns])
    columns = list(table.columns)
    for record in table.itertuples(index=False, name=None):
        writer.writerow(
            _cell(_plain(value), column, decimal_comma=swedish)
            for value, column in zip(record, columns, strict=True)
        )
    return out.getvalue()


def _plain(value):
    """numpy scalars -> Python values."""
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def download(table: pd.DataFrame, filename: str) -> HttpResponse:
    """The table as a CSV file for Swedish Excel, as the pages' download links give it."""
    body = "\ufeff" + to_csv(table, swedish=True)  # BOM: Excel then reads UTF-8
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
