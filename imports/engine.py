"""Reading a register workbook into the portal: the check (preview) and the save are one run.

``run`` reads every mapped row, finds what it matches in the register, and writes through the
registers' own services inside one transaction, so that the check applies exactly the rules a form
applies (age on joining, one chair at a time, member types per legal form, no joining before
founding…), rows that depend on each other included. A check, or a save with any refused row, then
rolls the transaction back: nothing is stored until every row passes.

Matching, so that importing a file again, or an updated version of it, creates nothing twice:
organisations by registration number, else by name (case, spacing and Unicode form aside) and
commune; people by citizen ID, else by name, year of birth and commune or organisation;
memberships by person, organisation and joining date; positions by person, organisation, role and
start. Unchanged rows change nothing; changed values go through the update services, with history.
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.models import Governance, LegalForm, Organisation, Sector
from cooperatives.services import organisation_register
from coopportal.accounts.scope import commune_ids_in_scope
from coopportal.text import fold
from coopportal.uploads import Header, find_header, records
from members.models import ManagementPosition, Membership, MemberType, Person, member_types_for
from members.roles import top_role_for
from members.services import (
    membership_correct,
    memberships_add_many,
    organisation_change,
    people_create_many,
    person_update,
    position_correct,
    positions_appoint_many,
)

from . import vocabulary as words
from .places import CommuneIndex, EthnicGroupIndex
from .vocabulary import IGNORED, MEMBERS, ORGANISATIONS, ValueProblem

ENTITIES = ("organisations", "people", "memberships", "positions")
ENTITY_LABELS = {
    "organisations": gettext_lazy("Organisations"),
    "people": gettext_lazy("People"),
    "memberships": gettext_lazy("Memberships"),
    "positions": gettext_lazy("Management positions"),
}
REGISTER_MODELS = {
    "organisations": Organisation,
    "people": Person,
    "memberships": Membership,
    "positions": ManagementPosition,
}


@dataclass
class Problem:
    """A refused row: sheet, row number as Excel shows it, column label and the reason."""

    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def __str__(self):
        return _("%(sheet)s, row %(row)s, %(column)s: %(message)s") % self.as_dict()


@dataclass
class Report:
    """What a run found or did; ``counts[entity][action]`` with actions create, update, unchanged."""

    counts: dict = field(default_factory=lambda: {entity: Counter() for entity in ENTITIES})
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    communes: set = field(default_factory=set)
    written: list = field(default_factory=list)  # (entity, pk, action) in the order written
    history: dict = field(default_factory=dict)  # (entity, pk) -> [history id written, history id before]
    skipped: int = 0
    digest: str = ""
    committed: bool = False

    def counts_dict(self):
        return {
            entity: {action: self.counts[entity][action] for action in ("create", "update", "unchanged")}
            for entity in ENTITIES
        }


# Reading the workbook -------------------------------------------------------------------------


def guess_mapping(sheets):
    """Which sheet holds organisations and which members, and which column is which field.

    Returns ``{sheet name: {"kind", "first_row", "last_row", "columns": {field: column index}}}``;
    a sheet where neither header is found is ``ignored``. A sheet naming people with a gender is a
    members sheet even when it also has an organisation-name column.
    """
    mapping = {}
    for sheet in sheets:
        found = {
            kind: find_header(sheet, words.COLUMNS[kind], required=words.REQUIRED[kind])
            for kind in (MEMBERS, ORGANISATIONS)
        }
        members_header = found[MEMBERS]
        if members_header and ("gender" in members_header.columns or not found[ORGANISATIONS]):
            kind = MEMBERS
        elif found[ORGANISATIONS]:
            kind = ORGANISATIONS
        else:
            kind = IGNORED
        header = found.get(kind)
        mapping[sheet.name] = {
            "kind": kind,
            "first_row": header.first_row if header else None,
            "last_row": header.last_row if header else None,
            "columns": dict(header.columns) if header else {},
            "labels": list(header.labels) if header else [],
        }
    return mapping


def _header(sheet_mapping):
    return Header(
        first_row=sheet_mapping["first_row"],
        last_row=sheet_mapping["last_row"],
        labels=list(sheet_mapping.get("labels") or []),
        columns={name: int(index) for name, index in sheet_mapping["columns"].items()},
    )


@dataclass
class SheetRow:
    """A mapped row: where it is, its values by field, and the problems found reading them."""

    sheet: str
    number: int
    labels: dict
    values: dict
    problems: list = field(default_factory=list)

    def refuse(self, column, message):
        self.problems.append(Problem(self.sheet, self.number, self.label(column), str(message)))

    def label(self, column):
        return self.labels.get(column) or (words.field_label(self.kind, column) if column else "")

    kind: str = ""


def _rows(sheets, mapping, kind):
    rows = []
    for sheet in sheets:
        sheet_mapping = mapping.get(sheet.name)
        if not sheet_mapping or sheet_mapping.get("kind") != kind or not sheet_mapping.get("columns"):
            continue
        header = _header(sheet_mapping)
        labels = {
            name: (header.labels[index] if index < len(header.labels) and header.labels[index] else "")
            or words.field_label(kind, name)
            for name, index in header.columns.items()
        }
        for row, values in records(sheet, header):
            rows.append(SheetRow(sheet=sheet.name, number=row.number, labels=labels, values=values, kind=kind))
    return rows


# The run ----------------------------------------------------------------------------------------


class Run:
    """One pass over the mapped rows; see the module's docstring."""

    def __init__(self, *, user, consent_on=None, consent_informed=False, governance=None, progress=None):
        self.user = user
        self.scope = commune_ids_in_scope(user)
        self.today = timezone.localdate()
        # Consent counts only when the user declared that people were told ethnicity is sensitive data:
        # for the whole file (a date), or for the dates of the file's consent column.
        self.consent_informed = consent_informed
        self.consent_on = consent_on if consent_informed else None
        self.governance_overrides = governance or {}
        self.progress = progress or (lambda done, total: None)
        self.report = Report()
        self.communes = CommuneIndex()
        self.ethnic_groups = EthnicGroupIndex()
        self.sectors = {}
        for sector in Sector.objects.all():
            for text in (sector.code, sector.name_vi, sector.name_en):
                self.sectors[words.header_key(text)] = sector
        self.seen = {entity: set() for entity in ENTITIES}
        self.organisation_rows = {}  # organisation pk -> first SheetRow that named it
        self.organisations_by_name = {}  # folded name -> organisations of the register
        self.organisations_by_number = {}  # registration key -> organisation pk
        self.organisation_of_row = {}  # id of an organisations sheet row -> its organisation
        self.file_organisations = {}  # name key -> organisation, for the members sheet
        self.refused_organisations = {}  # name key -> the refused organisation row
        self.skipped_for = {}  # id of a refused organisation row -> (that row, member rows not checked)
        self.people_by_organisation = {}  # (organisation pk, name key) -> (person, membership)
        self.refused_people = set()  # (organisation pk, name key) of refused member rows
        self.people_by_name = {}  # folded name -> people of the register and of the file
        self.people_by_citizen_id = {}
        self.people_in_scope = None  # pks of the register's people the user may see, read when first needed
        self.rows_of_person = {}  # id of a person the file adds -> its first row
        self.memberships = {}  # (id of the person object, organisation pk) -> memberships
        self.terms = {}  # (organisation pk, role) -> terms
        self.terms_read = set()
        self.new_people, self.new_memberships, self.new_positions = [], [], []
        self.plan = []  # (model, pk, changed values) of each update
        self.without_consent = 0
        self.founding_day_used = 0
        self.consent_withdrawn = 0

    # bookkeeping

    def count(self, entity, instance, action):
        """Count each row once: a second row naming something the file already created or matched is neither.

        Rows to create are written to ``report.written`` once created (``create_new``), with their pk.
        """
        key = instance.pk if instance.pk is not None else ("new", id(instance))
        if key in self.seen[entity]:
            if action == "update":
                self.report.counts[entity]["update"] += 1
            return
        self.seen[entity].add(key)
        self.report.counts[entity][action] += 1
        if action == "update" or (action == "create" and entity == "organisations"):
            self.report.written.append((entity, instance.pk, action))

    def planned(self, instance, changes):
        """Note a change to a row of the register, from which value to which, in the plan; returns ``changes``."""

        def shown(value):
            return str(getattr(value, "pk", value))

        values = sorted((name, shown(getattr(instance, name)), shown(value)) for name, value in changes.items())
        self.plan.append((type(instance).__name__, instance.pk, tuple(values)))
        return changes

    def plan_digest(self):
        """SHA-256 of what the run changes and creates: a save must do what its preview showed."""
        created = [(entity, len(instances)) for entity, instances in self.pending_counts().items()]
        return hashlib.sha256(repr((sorted(self.plan), created, self.report.counts_dict())).encode()).hexdigest()

    def pending_counts(self):
        return {"people": self.new_people, "memberships": self.new_memberships, "positions": self.new_positions}

    def attempt(self, row, column_of, write):
        """Call a service; its ValidationError refuses the row, each message on the column of its field."""
        try:
            return write()
        except ValidationError as error:
            self.refuse_with(row, column_of, error)
            return None

    def read(self, row, column, reader, *args):
        """A cell read through ``reader``; None when empty, and the row refused when unreadable."""
        value = row.values.get(column)
        if value is None:
            return None
        try:
            return reader(value, *args)
        except ValueProblem as problem:
            row.refuse(column, problem)
            return None

    # organisations

    def run(self, sheets, mapping, *, commit, expected=None):
        """Check every mapped row; with ``commit``, keep what was written when no row is refused.

        ``expected`` is the digest of the plan the user saw in the preview (``plan_digest``): a save
        that would now change other rows or values (the register changed since) is not kept either.
        """
        organisation_rows = _rows(sheets, mapping, ORGANISATIONS)
        member_rows = _rows(sheets, mapping, MEMBERS)
        if not organisation_rows and not member_rows:
            self.report.errors.append(
                Problem("", 0, "", _("No sheet of organisations or members was found: check the mapping."))
            )
            return self.report
        total = len(organisation_rows) + len(member_rows)
        history_marks = {entity: _last_history_id(model) for entity, model in REGISTER_MODELS.items()}
        with transaction.atomic():
            role_words = self.roles_by_organisation_name(organisation_rows, member_rows)
            self.load_organisations(organisation_rows, member_rows)
            for done, row in enumerate(organisation_rows, start=1):
                self.organisation(row, role_words)
                self.progress(done, total)
            self.load_people(member_rows, organisation_rows)
            for done, row in enumerate(member_rows, start=len(organisation_rows) + 1):
                self.member(row)
                self.progress(done, total)
            for row in organisation_rows:
                self.manager(row)
            self.create_new()
            for row in organisation_rows + member_rows:
                self.report.errors.extend(row.problems)
            self.notes()
            self.report.digest = self.plan_digest()
            if commit and not self.report.errors and (expected is None or self.report.digest == expected):
                self.report.committed = True
                self.report.history = _history_ids(self.report.written, history_marks)
            else:
                transaction.set_rollback(True)
        return self.report

    def roles_by_organisation_name(self, organisation_rows, member_rows):
        """Role words each organisation's rows list, to infer governance where no column gives it."""
        found = defaultdict(list)
        for row, name_column, role_column in [(r, "name", "manager_role") for r in organisation_rows] + [
            (r, "organisation", "role") for r in member_rows
        ]:
            name = row.values.get(name_column)
            if name is None:
                continue
            try:
                found[words.name_key(name)].extend(words.read_roles(row.values.get(role_column)))
            except ValueProblem:
                pass  # reported when the row itself is read
        return found

    def organisation(self, row, role_words):
        """Read, match and write one organisations-sheet row; remember what its name means for the members sheet."""
        found = self._organisation(row, role_words)
        name = row.values.get("name")
        if name is not None:
            key = words.name_key(name)
            if found is None:
                if key not in self.file_organisations:
                    self.refused_organisations.setdefault(key, row)
            elif found not in self.file_organisations.setdefault(key, []):
                self.file_organisations[key].append(found)
                self.organisations_by_name.setdefault(found.search_name, []).append(found)
                if found.registration_number:
                    self.organisations_by_number[words.registration_key(found.registration_number)] = found.pk

    def _organisation(self, row, role_words):
        values = row.values
        name = values.get("name")
        if name is None:
            row.refuse("name", _("the name is missing"))
            return None
        name = str(name)
        legal_form = self.read(row, "legal_form", words.read_choice, words.LEGAL_FORMS, _("legal form"))
        if legal_form is None and values.get("legal_form") is None:
            legal_form = _legal_form_from_name(name)
        commune = self.read(row, "commune", self.communes.find)
        governance = self.read(row, "governance", words.read_choice, words.GOVERNANCE, _("governance model"))
        governance_source = "column" if governance else ""
        fields = {
            "founded_on": self.read_day(row, "founded_on"),
            "registration_date": self.read_day(row, "registration_date"),
            "registration_number": self.read(row, "registration_number", words.read_text),
            "address": self.read(row, "address", words.read_text),
            "main_products": self.read(row, "main_products", words.read_text),
            "phone": self.read(row, "phone", words.read_text),
        }
        sectors = self.read(row, "sectors", self.read_sectors)
        existing = self.match_organisation(row, name, commune, fields["registration_number"])
        # A governance chosen on the preview, by the name in the file or, for one matched, in the register.
        keys = [words.name_key(name)] + ([words.name_key(existing.name)] if existing else [])
        override = next((self.governance_overrides[k] for k in keys if k in self.governance_overrides), None)
        if override in Governance.values:
            governance, governance_source = override, "chosen"
        if row.problems:
            return None
        if existing is None and commune is None:
            row.refuse("commune", _("the commune is missing"))
            return None
        target_commune = commune or existing.commune
        if self.scope is not None and target_commune.pk not in self.scope:
            row.refuse("commune", _("%(commune)s is outside your communes") % {"commune": target_commune.name})
            return None
        if self.scope is not None and existing is not None and existing.commune_id not in self.scope:
            # Said without naming it: the organisation is not the user's to see.
            row.refuse(
                "registration_number" if fields["registration_number"] else "name",
                _("this organisation is registered in a commune outside yours; ask the provincial Union"),
            )
            return None
        if governance is None and existing is None:
            governance = words.governance_from_roles(role_words.get(words.name_key(name), []))
            governance_source = "roles"
        given = {key: value for key, value in fields.items() if value is not None}
        column_of = {key: key for key in fields} | {"name": "name", "commune": "commune", "governance": "governance"}
        column_of["legal_form"] = "legal_form"
        if existing is None:
            organisation = self.attempt(
                row,
                column_of,
                lambda: organisation_register(
                    name=name,
                    legal_form=legal_form or LegalForm.COOPERATIVE,
                    commune=target_commune,
                    governance=governance,
                    sectors=sectors or [],
                    **given,
                ),
            )
            action = "create"
        else:
            changes = {
                key: value
                for key, value in {
                    **given,
                    "legal_form": legal_form,
                    "governance": governance,
                    "commune": commune,
                }.items()
                if value is not None and getattr(existing, key) != value
            }
            if "registration_number" in changes and words.registration_key(
                changes["registration_number"]
            ) == words.registration_key(existing.registration_number or ""):
                del changes["registration_number"]  # the same number, written without its leading zero
            organisation = existing
            action = "unchanged"
            if changes:
                organisation = self.attempt(
                    row,
                    column_of,
                    lambda: organisation_change(organisation=existing, **self.planned(existing, changes)),
                )
                action = "update"
        if organisation is None:
            return None
        first = self.organisation_rows.setdefault(organisation.pk, row)
        self.organisation_of_row.setdefault(id(row), organisation)
        if first is not row:
            row.refuse(
                "name",
                _("%(organisation)s is already on row %(row)s") % {"organisation": organisation, "row": first.number},
            )
            return None
        self.count("organisations", organisation, action)
        self.report.communes.add(organisation.commune_id)
        self.report.organisations.append(
            {
                "sheet": row.sheet,
                "row": row.number,
                "name": organisation.name,
                "commune": organisation.commune.name,
                "legal_form": organisation.get_legal_form_display(),
                # A cooperative group has a group leader whatever its governance: nothing to choose.
                "is_group": organisation.legal_form == LegalForm.COOPERATIVE_GROUP,
                "governance": organisation.governance,
                "governance_label": organisation.get_governance_display(),
                "governance_source": governance_source,
                "action": action,
            }
        )
        return organisation

    def read_day(self, row, column):
        """The day of a date cell (None when empty or refused); see ``read_dated``."""
        day = self.read_dated(row, column)
        return day[0] if day else None

    def read_dated(self, row, column):
        """``(day, exact)`` of a date cell; a day after today is refused, as the forms refuse it."""
        day = self.read(row, column, words.read_date)
        if day and day[0] > self.today:
            row.refuse(column, _("This date is in the future."))
            return None
        return day

    def read_sectors(self, value):
        """Sectors separated by semicolons or commas; a sector whose own name has a comma ('Thương mại, dịch vụ')
        is read whole."""
        found = []
        for part in str(value).split(";"):
            pending = []
            for piece in part.split(","):
                pending.append(piece)
                key = words.header_key(",".join(pending))
                if not key:
                    pending = []
                elif key in self.sectors:
                    found.append(self.sectors[key])
                    pending = []
            if pending and words.header_key(",".join(pending)):
                raise ValueProblem(
                    _("sector “%(value)s” is not one of: %(sectors)s")
                    % {
                        "value": ",".join(pending).strip(),
                        "sectors": "; ".join(sorted({str(s) for s in self.sectors.values()})),
                    }
                )
        return found

    def load_organisations(self, organisation_rows, member_rows):
        """The register's organisations the file could mean, read once: by folded name and by registration number."""
        names = {fold(str(r.values["name"])) for r in organisation_rows if r.values.get("name") is not None}
        names |= {fold(str(r.values["organisation"])) for r in member_rows if r.values.get("organisation") is not None}
        for chunk in chunks(sorted(names)):
            for organisation in Organisation.objects.filter(search_name__in=chunk).select_related("commune"):
                self.organisations_by_name.setdefault(organisation.search_name, []).append(organisation)
        numbered = Organisation.objects.exclude(registration_number=None).values_list("pk", "registration_number")
        self.organisations_by_number = {words.registration_key(number): pk for pk, number in numbered}

    def registered_named(self, name):
        """Organisations of the register called ``name`` (case, spacing and Unicode form aside)."""
        key = words.name_key(name)
        return [o for o in self.organisations_by_name.get(fold(name), []) if words.name_key(o.name) == key]

    def match_organisation(self, row, name, commune, registration_number):
        """By registration number, else by name and commune; several by name alone is ambiguous."""
        if registration_number:
            pk = self.organisations_by_number.get(words.registration_key(registration_number))
            if pk is not None:
                return Organisation.objects.select_related("commune").filter(pk=pk).first()
        candidates = self.registered_named(name)
        if commune is not None:
            candidates = [candidate for candidate in candidates if candidate.commune_id == commune.pk]
        if len(candidates) > 1:
            row.refuse(
                "commune",
                _("several organisations are called %(name)s: %(communes)s; give the commune")
                % {"name": name, "communes": ", ".join(sorted(c.commune.name for c in candidates))},
            )
            return None
        return candidates[0] if candidates else None

    # members

    def organisation_named(self, row, name, commune=None):
        """The organisation a member row names: one from the organisations sheet, else one in the register.

        None when it is refused; a row naming an organisation whose own row was refused is skipped
        without a message of its own (it is checked once that row is put right).
        """
        key = words.name_key(name)
        if key in self.refused_organisations:
            self.report.skipped += 1
            refused = self.refused_organisations[key]
            self.skipped_for.setdefault(id(refused), (refused, []))[1].append(row.number)
            return None
        candidates = self.file_organisations.get(key) or self.registered_named(name)
        if commune is not None:
            candidates = [candidate for candidate in candidates if candidate.commune_id == commune.pk]
        if self.scope is not None:
            in_scope = [c for c in candidates if c.commune_id in self.scope]
            if candidates and not in_scope:
                row.refuse("organisation", _("%(name)s is outside your communes") % {"name": name})
                return None
            candidates = in_scope
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            row.refuse(
                "organisation",
                _("organisation “%(name)s” is neither on the organisations sheet nor in the register") % {"name": name},
            )
        else:
            row.refuse(
                "organisation",
                _("several organisations are called %(name)s: %(communes)s")
                % {"name": name, "communes": ", ".join(sorted(c.commune.name for c in candidates))},
            )
        return None

    def member(self, row):
        """Read one members-sheet row: its person, membership and the positions its role column gives."""
        values = row.values
        full_name = values.get("full_name")
        if full_name is None:
            row.refuse("full_name", _("the full name is missing"))
        organisation_name = values.get("organisation")
        if organisation_name is None:
            row.refuse("organisation", _("the organisation is missing"))
        organisation_commune = self.read(row, "organisation_commune", self.communes.find)
        organisation = (
            self.organisation_named(row, str(organisation_name), organisation_commune)
            if organisation_name is not None
            else None
        )
        gender = self.read(row, "gender", words.read_choice, words.GENDERS, _("gender"))
        if values.get("gender") is None:
            row.refuse("gender", _("gender is missing; write Nữ or Nam"))
        birth = self.read(row, "birth_year", words.read_year)
        if birth and birth[0] > self.today.year:
            row.refuse("birth_year", _("This year is in the future."))
        if values.get("birth_year") is None:
            row.refuse("birth_year", _("the year of birth is missing"))
        commune = self.read(row, "commune", self.communes.find)
        ethnic_group = self.read(row, "ethnic_group", self.ethnic_groups.find)
        consent = self.read_day(row, "consent_on")
        joined = self.read_dated(row, "joined_on")
        left_on = self.read_day(row, "left_on")
        member_type = self.read(row, "member_type", words.read_choice, words.MEMBER_TYPES, _("member type"))
        role_words = self.read(row, "role", words.read_roles) or []
        citizen_id = self.read(row, "citizen_id", words.read_citizen_id)
        phone = self.read(row, "phone", words.read_text)
        capital = self.read(row, "capital_contributed", words.read_amount)
        if organisation is not None and full_name is not None:
            # Until it passes, the row's person is not reported missing as a manager on the organisations sheet.
            self.refused_people.add((organisation.pk, words.name_key(full_name)))
        if row.problems or organisation is None:
            return
        joined_on = joined[0] if joined else None
        if joined_on is None:
            if organisation.founded_on is None:
                row.refuse("joined_on", _("the date of joining is missing"))
                return
            joined_on = organisation.founded_on
            self.founding_day_used += 1
        if member_type is None:
            member_type = member_types_for(organisation.legal_form)[0]
        elif organisation.legal_form == LegalForm.COOPERATIVE_GROUP and member_type == MemberType.OFFICIAL:
            # "Thành viên" in a group's register is a group member.
            member_type = MemberType.GROUP_MEMBER
        person_fields = {"gender": gender, "birth_year": birth[0], "commune": commune, "phone": phone}
        if birth[1]:
            person_fields["birth_date"] = birth[1]
        if citizen_id:
            person_fields["citizen_id"] = citizen_id
        person = self.person(row, str(full_name), person_fields, organisation, ethnic_group, consent)
        if person is None:
            return
        membership = self.membership(row, person, organisation, member_type, joined_on, bool(joined), left_on, capital)
        if membership is None:
            return
        self.report.communes.add(organisation.commune_id)
        key = (organisation.pk, words.name_key(person.full_name))
        self.people_by_organisation.setdefault(key, (person, membership))
        self.refused_people.discard(key)
        for word in role_words:
            role = words.resolve_role(word, organisation.governance)
            self.position(row, "role", person, organisation, role, membership.joined_on, left_on, exact_start=False)

    # people, memberships and terms: matched against what the register and the file hold so far

    def load_people(self, member_rows, organisation_rows):
        """Everyone the file could mean, read once: people by folded name and by citizen ID, and their memberships."""
        names = {fold(str(row.values["full_name"])) for row in member_rows if row.values.get("full_name") is not None}
        names |= {fold(str(r.values["manager_name"])) for r in organisation_rows if r.values.get("manager_name")}
        people = {}
        for chunk in chunks(sorted(names)):
            people.update((person.pk, person) for person in Person.objects.filter(search_name__in=chunk))
        citizen_ids = set()
        for row in member_rows:
            try:
                if row.values.get("citizen_id") is not None:
                    citizen_ids.add(words.read_citizen_id(row.values["citizen_id"]))
            except ValueProblem:
                pass
        for chunk in chunks(sorted(citizen_ids)):
            people.update((person.pk, person) for person in Person.objects.filter(citizen_id__in=chunk))
        for person in people.values():
            self.remember_person(person)
        for chunk in chunks(list(people)):
            for membership in Membership.objects.filter(person__in=chunk):
                membership.person = people[membership.person_id]
                self.memberships_of(membership.person, membership.organisation_id).append(membership)

    def person_in_scope(self, person):
        """Whether the user may see (and so match, and change) a person of the register."""
        if self.scope is None:
            return True
        if self.people_in_scope is None:
            known = [p.pk for people in self.people_by_name.values() for p in people if p.pk is not None]
            known += [p.pk for p in self.people_by_citizen_id.values() if p.pk is not None]
            self.people_in_scope = set()
            for chunk in chunks(sorted(set(known))):
                self.people_in_scope.update(
                    Person.objects.for_user(self.user).filter(pk__in=chunk).values_list("pk", flat=True)
                )
        return person.pk in self.people_in_scope

    def remember_person(self, person):
        """Let later rows find ``person`` (of the register, or added by the file) by name and citizen ID."""
        self.people_by_name.setdefault(person.search_name or fold(person.full_name), []).append(person)
        if person.citizen_id:
            self.people_by_citizen_id[person.citizen_id] = person

    def memberships_of(self, person, organisation_pk):
        """The person's memberships of the organisation, register's and file's (a live list)."""
        return self.memberships.setdefault((id(person), organisation_pk), [])

    def terms_in_role(self, organisation, role):
        """The organisation's terms in ``role``, read once per organisation, with those the file adds."""
        if organisation.pk not in self.terms_read:
            self.terms_read.add(organisation.pk)
            people = {}
            for position in ManagementPosition.objects.filter(organisation=organisation):
                self.terms.setdefault((organisation.pk, position.role), []).append(position)
                people.setdefault(position.person_id, []).append(position)
            for person in Person.objects.filter(pk__in=people):
                known = next((p for p in self.people_by_name.get(person.search_name, []) if p.pk == person.pk), None)
                for position in people[person.pk]:
                    position.person = known or person
        return self.terms.setdefault((organisation.pk, role), [])

    def person(self, row, full_name, fields, organisation, ethnic_group, consent):
        """The row's person: matched and updated when changed, or added; ethnicity only with declared consent."""
        column_of = {name: name for name in ("gender", "birth_year", "commune", "phone", "citizen_id")}
        column_of |= {"full_name": "full_name", "birth_date": "birth_year", "ethnic_group": "ethnic_group"}
        column_of |= {"__all__": "ethnic_group"}
        existing = self.match_person(row, full_name, fields, organisation)
        if row.problems:
            return None
        if ethnic_group is not None:
            consent_on = (consent if self.consent_informed else None) or self.consent_on
            withdrawn = existing.ethnicity_consent_withdrawn_on if existing else None
            if consent_on is None:
                self.without_consent += 1
            elif withdrawn and consent_on <= withdrawn:
                self.consent_withdrawn += 1
            elif existing is None or existing.ethnic_group_id != ethnic_group.pk:
                fields |= {
                    "ethnic_group": ethnic_group,
                    "ethnicity_consent_on": consent_on,
                    "ethnicity_consent_informed": True,
                }
        given = {key: value for key, value in fields.items() if value is not None}
        if existing is None:
            person = Person(full_name=full_name, **given)
            self.rows_of_person[id(person)] = row.number
            self.new_people.append((row, column_of, person))
            self.remember_person(person)
            self.count("people", person, "create")
            return person
        if existing.pk is None:
            differing = [key for key, value in given.items() if getattr(existing, key) != value]
            if differing:
                row.refuse(
                    differing[0],
                    _("%(name)s is already on row %(row)s with other details; write her once")
                    % {"name": full_name, "row": self.rows_of_person.get(id(existing))},
                )
                return None
            self.count("people", existing, "unchanged")  # a person the file already adds
            return existing
        changes = {key: value for key, value in given.items() if getattr(existing, key) != value}
        person, action = existing, "unchanged"
        if changes:
            person = self.attempt(
                row, column_of, lambda: person_update(person=existing, **self.planned(existing, changes))
            )
            action = "update"
        if person is not None:
            self.count("people", person, action)
        return person

    def match_person(self, row, full_name, fields, organisation):
        """By citizen ID, else by name and year of birth with the same commune or organisation.

        A citizen ID already given to someone of another name (in the register or on an earlier
        row) refuses the row; so does one of a person outside the user's communes, without naming her.
        """
        key = words.name_key(full_name)
        if fields.get("citizen_id") and fields["citizen_id"] in self.people_by_citizen_id:
            found = self.people_by_citizen_id[fields["citizen_id"]]
            if found.pk is not None and not self.person_in_scope(found):
                row.refuse("citizen_id", _("this citizen ID is recorded for a person outside your communes"))
                return None
            if words.name_key(found.full_name) != key:
                where = self.rows_of_person.get(id(found))
                row.refuse(
                    "citizen_id",
                    _("this citizen ID is %(name)s's, on row %(row)s") % {"name": found.full_name, "row": where}
                    if where
                    else _("this citizen ID is %(name)s's in the register") % {"name": found.full_name},
                )
                return None
            return found
        candidates = [
            person
            for person in self.people_by_name.get(fold(full_name), [])
            if person.birth_year == fields["birth_year"] and words.name_key(person.full_name) == key
        ]
        commune = fields.get("commune")
        candidates = [person for person in candidates if person.pk is None or self.person_in_scope(person)]
        fitting = [
            person
            for person in candidates
            if self.memberships_of(person, organisation.pk)
            or (commune is not None and person.commune_id == commune.pk)
            or (person.pk is None and commune is None)
        ]
        if len(fitting) > 1:
            row.refuse(
                "full_name",
                _("several people in the register are called %(name)s, born in %(year)s: give the citizen ID")
                % {"name": full_name, "year": fields["birth_year"]},
            )
            return None
        return fitting[0] if fitting else None

    def membership(self, row, person, organisation, member_type, joined_on, exact, left_on, capital):
        """The row's membership: matched by joining date (or the one in force), corrected when changed, or added."""
        column_of = {"joined_on": "joined_on", "left_on": "left_on", "member_type": "member_type"}
        column_of |= {"capital_contributed": "capital_contributed", "__all__": "joined_on", "person": "full_name"}
        existing = self.memberships_of(person, organisation.pk)
        same_day = [m for m in existing if m.joined_on == joined_on]
        overlapping = [m for m in existing if m.left_on is None or left_on is None or m.joined_on < left_on]
        overlapping = [m for m in overlapping if m.left_on is None or m.left_on > joined_on or not exact]
        if same_day:
            match = same_day[0]
        elif len(overlapping) == 1:
            # The same membership with its joining date put right (or not given: the one in force).
            match = overlapping[0]
        else:
            match = None
        if match is None:
            membership = Membership(
                person=person,
                organisation=organisation,
                member_type=member_type,
                joined_on=joined_on,
                left_on=left_on,
                capital_contributed=capital or 0,
            )
            membership.known_siblings = list(existing)  # the register's and the earlier rows'
            existing.append(membership)
            self.new_memberships.append((row, column_of, membership))
            self.count("memberships", membership, "create")
            return membership
        if match.pk is None:
            if (match.joined_on, match.member_type) != (joined_on, member_type) or (
                left_on and match.left_on != left_on
            ):
                row.refuse(
                    "joined_on",
                    _("%(name)s is already a member of %(organisation)s on an earlier row, with other dates or type")
                    % {"name": person.full_name, "organisation": organisation.name},
                )
                return None
            return match  # the file names the same membership twice
        wanted = {
            "member_type": member_type,
            "joined_on": joined_on if exact else match.joined_on,
            "left_on": left_on if left_on is not None else match.left_on,
            "capital_contributed": capital if capital is not None else match.capital_contributed,
        }
        membership, action = match, "unchanged"
        if any(getattr(match, key) != value for key, value in wanted.items()):
            membership = self.attempt(
                row, column_of, lambda: membership_correct(membership=match, **self.planned(match, wanted))
            )
            action = "update"
        if membership is not None:
            self.count("memberships", membership, action)
        return membership

    def position(self, row, column, person, organisation, role, started_on, ended_on, exact_start):
        """A term; without a start of its own it matches the holder's term in that role whatever its start."""
        column_of = {"started_on": column, "role": column, "ended_on": column, "__all__": column, "person": column}
        in_role = self.terms_in_role(organisation, role)
        existing = [position for position in in_role if position.person is person]
        match = next((p for p in existing if p.started_on == started_on), None)
        if match is None and not exact_start:
            match = next((p for p in existing if p.ended_on is None or p.ended_on > started_on), None)
        if match is None:
            position = ManagementPosition(
                person=person, organisation=organisation, role=role, started_on=started_on, ended_on=ended_on
            )
            position.known_siblings = list(in_role)  # the register's and the earlier rows'
            in_role.append(position)
            self.new_positions.append((row, column_of, position))
            self.count("positions", position, "create")
            return position
        if match.pk is None or ended_on is None or match.ended_on == ended_on:
            self.count("positions", match, "unchanged")
            return match
        outcome = self.attempt(
            row,
            column_of,
            lambda: position_correct(
                position=match,
                **self.planned(match, {"role": role, "started_on": match.started_on, "ended_on": ended_on}),
            ),
        )
        if outcome is not None:
            self.count("positions", outcome.instance, "update")
            return outcome.instance
        return None

    def create_new(self):
        """Create what the file adds, in bulk, each row checked by its model's rules; refused rows get the reasons."""
        batches = (
            ("people", people_create_many, "people", self.new_people),
            ("memberships", memberships_add_many, "memberships", self.new_memberships),
            ("positions", positions_appoint_many, "positions", self.new_positions),
        )
        for entity, create_many, keyword, pending in batches:
            # A membership or term of someone refused has no pk to point to; its row is already refused.
            pending = [(row, columns, instance) for row, columns, instance in pending if _related_saved(instance)]
            for _row, _columns, instance in pending:
                for relation in ("person", "organisation"):
                    if hasattr(instance, f"{relation}_id"):
                        setattr(instance, relation, getattr(instance, relation))
            errors = create_many(**{keyword: [instance for _row, _columns, instance in pending]}, user=self.user)
            for index, (row, column_of, instance) in enumerate(pending):
                if index in errors:
                    self.refuse_with(row, column_of, errors[index], _dates_of(instance))
                else:
                    self.report.written.append((entity, instance.pk, "create"))

    def refuse_with(self, row, column_of, error, context=""):
        """Each message of ``error`` on the column of its field; ``context`` (the dates it is about) before it."""
        fields = error.error_dict if hasattr(error, "error_dict") else {"": error.error_list}
        for name, errors in fields.items():
            for message in ValidationError(errors).messages:
                row.refuse(column_of.get(name, ""), f"{context}: {message}" if context else message)

    def manager(self, row):
        """The manager named on an organisation's row holds the roles given there, as one person with her member row."""
        name = row.values.get("manager_name")
        if name is None or row.problems:
            return
        organisation = self.organisation_of_row.get(id(row))
        if organisation is None:
            return
        try:
            role_words = words.read_roles(row.values.get("manager_role"))
        except ValueProblem as problem:
            row.refuse("manager_role", problem)
            return
        if not role_words:
            role_words = [top_role_for(organisation.legal_form, organisation.governance)]
        found = self.people_by_organisation.get((organisation.pk, words.name_key(name)))
        if found is None and (organisation.pk, words.name_key(name)) in self.refused_people:
            return  # her member row is refused, with its reason
        if found is None:
            # Someone already a member in the register, not on the members sheet.
            found = next(
                (
                    (person, memberships[-1])
                    for person in self.people_by_name.get(fold(str(name)), [])
                    if words.name_key(person.full_name) == words.name_key(name)
                    and (memberships := sorted(self.memberships_of(person, organisation.pk), key=lambda m: m.joined_on))
                ),
                None,
            )
            if found is None:
                row.refuse(
                    "manager_name",
                    _("the manager %(name)s is not on the members sheet: add her row there (year of birth, gender)")
                    % {"name": name},
                )
                return
        person, membership = found
        for word in role_words:
            role = words.resolve_role(word, organisation.governance)
            self.position(
                row, "manager_role", person, organisation, role, membership.joined_on, membership.left_on, False
            )

    def notes(self):
        """Sentences for the preview: what is not checked, not stored, or taken from elsewhere."""
        for organisation_row, numbers in self.skipped_for.values():
            self.report.notes.append(
                _(
                    "Member rows %(rows)s were not checked: their organisation's row (%(sheet)s, row %(row)s) is "
                    "refused. Put it right and check again."
                )
                % {"rows": _ranges(numbers), "sheet": organisation_row.sheet, "row": organisation_row.number}
            )
        if self.founding_day_used:
            self.report.notes.append(
                _("%(count)s members have no date of joining: the organisation's founding date is used.")
                % {"count": self.founding_day_used}
            )
        if self.without_consent:
            self.report.notes.append(
                _(
                    "The ethnic group of %(count)s people is not stored: the file has no consent date for them and "
                    "no consent was declared for the whole file."
                )
                % {"count": self.without_consent}
            )
        if self.consent_withdrawn:
            self.report.notes.append(
                _("The ethnic group of %(count)s people is not stored: they withdrew consent after the date given.")
                % {"count": self.consent_withdrawn}
            )


def _ranges(numbers):
    """[4, 5, 6, 9] -> '4–6, 9'."""
    numbers = sorted(set(numbers))
    spans, start = [], None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            spans.append(str(start) if start == number else f"{start}–{number}")
            start = None
    return ", ".join(spans)


def _dates_of(instance):
    """'born in 2012, joined on 01/06/2020': what a membership's refusal is about, as the row gives it."""
    if isinstance(instance, Membership) and instance.joined_on:
        return _("born in %(year)s, joined on %(day)s") % {
            "year": instance.person.birth_year,
            "day": instance.joined_on.strftime("%d/%m/%Y"),
        }
    return ""


def _related_saved(instance):
    relations = [name for name in ("person", "organisation") if hasattr(instance, f"{name}_id")]
    return all(getattr(instance, name).pk is not None for name in relations)


def _legal_form_from_name(name):
    key = words.header_key(name)
    for prefix, legal_form in (
        ("lien hiep", LegalForm.UNION),
        ("lh htx", LegalForm.UNION),
        ("to hop tac", LegalForm.COOPERATIVE_GROUP),
        ("tht", LegalForm.COOPERATIVE_GROUP),
    ):
        if key.startswith(prefix):
            return legal_form
    return LegalForm.COOPERATIVE


def _last_history_id(model):
    return model.history.aggregate(last=Max("history_id"))["last"] or 0


def _history_ids(written, marks):
    """For each written row: the history entry the import made, and the one before it (for undo)."""
    by_entity = defaultdict(list)
    for entity, pk, _action in written:
        by_entity[entity].append(pk)
    found = {}
    for entity, pks in by_entity.items():
        history = REGISTER_MODELS[entity].history
        for chunk in chunks(pks):
            after = (
                history.filter(id__in=chunk, history_id__gt=marks[entity]).values("id").annotate(last=Max("history_id"))
            )
            before = (
                history.filter(id__in=chunk, history_id__lte=marks[entity])
                .values("id")
                .annotate(last=Max("history_id"))
            )
            for row in after:
                found.setdefault((entity, row["id"]), [None, None])[0] = row["last"]
            for row in before:
                found.setdefault((entity, row["id"]), [None, None])[1] = row["last"]
    return found


def chunks(items, size=500):
    """Lists of at most ``size`` items: an ``IN (…)`` of thousands of ids is split, as SQLite limits its variables."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
