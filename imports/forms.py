"""What a person sends to the import: the file with its consent declaration, and corrections to the mapping."""

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from cooperatives.forms import DateInput, refuse_future
from cooperatives.models import Governance
from coopportal.uploads import MAX_BYTES, find_header

from .vocabulary import COLUMNS, FIELD_LABELS, IGNORED, MEMBERS, ORGANISATIONS, REQUIRED, name_key

ACCEPTED_EXTENSIONS = (".xlsx", ".csv")
KIND_CHOICES = [
    (ORGANISATIONS, _("Organisations (one row each)")),
    (MEMBERS, _("Members (one row per person and organisation)")),
    (IGNORED, _("Nothing to import")),
]
NOT_IMPORTED = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register workbook (.xlsx) or CSV file"),
        help_text=_("At most %(size)s.") % {"size": filesizeformat(MAX_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    consent_on = forms.DateField(
        label=_("Consent forms collected on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Only if the office collected written consent to record the ethnic group of every person in this file."
        ),
    )
    consent_informed = forms.BooleanField(
        label=_("The people were told that their ethnic group is sensitive personal data"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The size is known from the request before the content is read into memory.
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s; split the register into smaller files."),
                code="file_too_large",
                params={"size": filesizeformat(MAX_BYTES)},
            )
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise ValidationError(
                _("Upload an Excel workbook (.xlsx) or a CSV file; save an old .xls workbook as .xlsx first."),
                code="file_type",
            )
        return upload

    def clean(self):
        cleaned_data = super().clean()
        refuse_future(self, "consent_on")
        if cleaned_data.get("consent_on") and not cleaned_data.get("consent_informed"):
            self.add_error(
                "consent_informed",
                ValidationError(
                    _("Confirm that the people were told their ethnicity is sensitive personal data."),
                    code="consent_not_informed",
                ),
            )
        return cleaned_data


def _select(choices, **kwargs):
    return forms.ChoiceField(
        choices=choices, required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"}), **kwargs
    )


class MappingForm(forms.Form):
    """How each sheet of a checked import is read, and each organisation's governance, as the person corrects them.

    Fields are named by position in what the check stored (``sheet-0-kind``, ``sheet-0-column-3``,
    ``governance-2``), so a posted name can only reach a sheet, a column or an organisation the
    file has. A sheet whose kind changes has its header found again for the new kind: its columns
    were chosen among the other kind's fields. ``read_sheets`` gives the file's sheets when that
    is needed.
    """

    def __init__(self, *args, register_import, read_sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_import = register_import
        self.read_sheets = functools.cache(read_sheets)
        self.stored = register_import.mapping.get("sheets", {})
        self.sheet_groups = []
        for index, sheet in enumerate(register_import.sheets):
            stored = self.stored.get(sheet["name"], {})
            kind = stored.get("kind", IGNORED)
            self.fields[f"sheet-{index}-kind"] = _select(KIND_CHOICES, label=_("This sheet holds"), initial=kind)
            by_column = {int(column): field for field, column in stored.get("columns", {}).items()}
            columns = []
            if kind != IGNORED:
                choices = [(NOT_IMPORTED, _("not imported")), *FIELD_LABELS[kind].items()]
                for column, label in enumerate(stored.get("labels") or []):
                    name = f"sheet-{index}-column-{column}"
                    self.fields[name] = _select(choices, label=label, initial=by_column.get(column, NOT_IMPORTED))
                    columns.append({"letter": get_column_letter(column + 1), "label": label, "name": name})
            self.sheet_groups.append(
                {
                    "index": index,
                    "sheet": sheet,
                    "kind": kind,
                    "first_row": stored.get("first_row"),
                    "last_row": stored.get("last_row"),
                    "columns": columns,
                }
            )
        self.governance_rows = []
        for index, organisation in enumerate(register_import.organisations):
            if organisation.get("is_group"):
                continue
            name = f"governance-{index}"
            self.fields[name] = _select(
                Governance.choices, label=organisation["name"], initial=organisation["governance"]
            )
            self.governance_rows.append({"organisation": organisation, "name": name})

    def sheet_fields(self):
        """The sheets as the template lays them out: each kind's select and its columns' selects."""
        return [
            {
                **group,
                "kind_field": self[f"sheet-{group['index']}-kind"],
                "columns": [{**column, "field": self[column["name"]]} for column in group["columns"]],
            }
            for group in self.sheet_groups
        ]

    def governance_fields(self):
        return [{**row, "field": self[row["name"]]} for row in self.governance_rows]

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        sheets = {}
        for group in self.sheet_groups:
            name = group["sheet"]["name"]
            kind = cleaned_data[f"sheet-{group['index']}-kind"] or IGNORED
            stored = self.stored.get(name, {})
            if kind == IGNORED:
                sheets[name] = {**stored, "kind": IGNORED}
            elif kind != group["kind"]:
                sheets[name] = self._header_for(group, kind)
            else:
                sheets[name] = {**stored, "columns": self._columns(group, kind)}
        cleaned_data["mapping"] = {**self.register_import.mapping, "sheets": sheets, "governance": self._governance()}
        return cleaned_data

    def _columns(self, group, kind):
        columns = {}
        for column, field in enumerate(group["columns"]):
            chosen = self.cleaned_data[field["name"]]
            if not chosen:
                continue
            if chosen in columns:
                self.add_error(
                    field["name"],
                    ValidationError(
                        _("%(field)s is already read from column %(letter)s."),
                        code="field_twice",
                        params={"field": FIELD_LABELS[kind][chosen], "letter": get_column_letter(columns[chosen] + 1)},
                    ),
                )
            columns[chosen] = column
        for required in REQUIRED[kind]:
            if required not in columns:
                self.add_error(
                    f"sheet-{group['index']}-kind",
                    ValidationError(
                        _("Choose the column that holds %(field)s, or mark the sheet as not imported."),
                        code="required_field_missing",
                        params={"field": FIELD_LABELS[kind][required]},
                    ),
                )
        return columns

    def _header_for(self, group, kind):
        """The header row and columns of a sheet read as ``kind``, found again in the file."""
        sheet = next((s for s in self.read_sheets() if s.name == group["sheet"]["name"]), None)
        header = find_header(sheet, COLUMNS[kind]) if sheet is not None else None
        if header is None:
            self.add_error(
                f"sheet-{group['index']}-kind",
                ValidationError(
                    _("No column header on this sheet names a field of %(kind)s."),
                    code="no_header",
                    params={"kind": dict(KIND_CHOICES)[kind]},
                ),
            )
            return {**self.stored.get(group["sheet"]["name"], {}), "kind": IGNORED}
        return {
            "kind": kind,
            "first_row": header.first_row,
            "last_row": header.last_row,
            "columns": dict(header.columns),
            "labels": list(header.labels),
        }

    def _governance(self):
        """Choices made before are kept; a select changed from what the check found becomes a choice."""
        chosen = dict(self.register_import.mapping.get("governance", {}))
        for row in self.governance_rows:
            organisation = row["organisation"]
            value = self.cleaned_data[row["name"]]
            if value and (value != organisation["governance"] or organisation["governance_source"] == "chosen"):
                chosen[name_key(organisation["name"])] = value
        return chosen
