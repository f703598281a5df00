"""The rows an import refused, as a workbook the office can put right: each row as the file had it, and why."""

import re
from collections import defaultdict

from django.utils.translation import gettext as _

from coopportal.spreadsheets import Table
from coopportal.uploads import read_upload

# Characters a sheet title may not hold; a CSV file's sheet is named after nothing Excel forbids, but be safe.
TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def refused_rows_tables(register_import) -> list[Table]:
    """One table per sheet with refused rows: the sheet's header rows, then the refused rows, reasons last.

    The values are read again from the file kept with the import, so that the office sees its own
    cells, not the import's reading of them. Problems not tied to a row (no sheet found) are left
    out: the import's page shows them. Raises ``ValidationError`` if the file cannot be read.
    """
    reasons = defaultdict(lambda: defaultdict(list))
    for error in register_import.errors:
        if error["row"]:
            reason = f"{error['column']}: {error['message']}" if error["column"] else error["message"]
            reasons[error["sheet"]][error["row"]].append(reason)
    if not reasons:
        return []
    mapping = register_import.mapping.get("sheets", {})
    tables = []
    for sheet in read_upload(bytes(register_import.content), register_import.file_name):
        refused = reasons.get(sheet.name)
        if not refused:
            continue
        first_row = mapping.get(sheet.name, {}).get("first_row")
        last_row = mapping.get(sheet.name, {}).get("last_row") or first_row
        header_rows = [row.values for row in sheet.rows if first_row and first_row <= row.number <= last_row]
        refused_rows = [row for row in sheet.rows if row.number in refused]
        width = max(len(values) for values in [[None], *header_rows, *(row.values for row in refused_rows)])

        def padded(values, width=width):
            return [*values, *[None] * (width - len(values))]

        headers = padded(header_rows[0] if header_rows else [])
        tables.append(
            Table(
                title=TITLE_FORBIDDEN.sub("-", sheet.name),
                headers=[*("" if value is None else str(value) for value in headers), _("Reasons")],
                rows=[
                    *([*padded(values), None] for values in header_rows[1:]),
                    *([*padded(row.values), "; ".join(refused[row.number])] for row in refused_rows),
                ],
                description=[
                    _(
                        "Rows of %(file)s that were refused, with the reasons in the last column. Nothing was saved: "
                        "put these rows right in the register, then upload the whole register again."
                    )
                    % {"file": register_import.file_name}
                ],
            )
        )
    return tables
