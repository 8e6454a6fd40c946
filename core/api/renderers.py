"""CSV output for every list of the API.

Written by hand because no CSV renderer is among the project's dependencies and the one needed is
small: flatten each row, and defuse formula injection (OWASP): a text cell starting with = + - @,
a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text.
"""

import csv
import io
import json

from rest_framework.renderers import BaseRenderer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """One value as a CSV cell: lists joined by "; ", objects as JSON, formula-like text escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if all(not isinstance(item, (dict, list)) for item in value):
            value = "; ".join("" if item is None else str(item) for item in value)
        else:
            value = json.dumps(value, ensure_ascii=False, default=str)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    elif not isinstance(value, str):
        return str(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(data):
    """The rows of a response: the results of a page, a list, or a single object."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"]
    if isinstance(data, list):
        return data
    return [data] if data is not None else []


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = [row if isinstance(row, dict) else {"value": row} for row in csv_rows(data)]
        header = []
        for row in rows:
            header.extend(key for key in row if key not in header)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([csv_cell(name) for name in header])
        for row in rows:
            writer.writerow([csv_cell(row.get(name)) for name in header])
        response = (renderer_context or {}).get("response")
        view = (renderer_context or {}).get("view")
        if response is not None and response.status_code == 200 and view is not None:
            name = getattr(view, "basename", None) or "data"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return buffer.getvalue().encode(self.charset)
