"""Reads of the organisations register: list rows, the communes a user may pick, change history."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from coopportal.accounts.scope import commune_ids_in_scope
from coopportal.text import fold

from .models import AdministrativeUnit, Level, Organisation, Scheme


def organisation_list(user):
    """Organisations in ``user``'s scope with what a list row shows, in one query plus the sectors."""
    return Organisation.objects.for_user(user).select_related("commune").prefetch_related("sectors")


def province_communes():
    """The communes (2025 scheme) of the province this installation serves."""
    return AdministrativeUnit.objects.filter(
        level=Level.COMMUNE, scheme=Scheme.TWO_LEVEL_2025, parent__code=settings.PORTAL_PROVINCE_CODE
    )


def communes_for(user, keep=None):
    """The province's communes ``user`` may pick in any form or filter: those of her scope.

    The one rule for every commune picker (organisation, person, workshop, report filters), so that
    no form offers, or accepts, a commune outside the user's scope: staff of some communes cannot move
    a record out of their own reach. ``keep``, the id of the record's present commune, stays
    pickable: a person living outside the scope but a member there may be edited without moving her.
    """
    communes = province_communes()
    commune_ids = commune_ids_in_scope(user)
    if commune_ids is None:
        return communes
    return communes.filter(pk__in={*commune_ids, keep} - {None})


@dataclass(frozen=True)
class HistoryEntry:
    """One saved change: when, by whom, to what, and each field's value before and after."""

    when: datetime
    who: object
    action: str
    subject: str
    changes: list = field(default_factory=list)


HISTORY_ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
UNTRACKED_FIELDS = {"id", "search_name"}


def _shown(record, model_field):
    if isinstance(model_field, HistoricalM2M):
        return model_field.value_from(record) or "—"
    value = getattr(record, model_field.name if model_field.is_relation else model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def history_entries(records, model, describe, many_to_many=()):
    """Entries from django-simple-history rows of ``model``, each compared with the row before it.

    ``records`` must already join the foreign keys it shows (``select_related``) and prefetch the
    history of the ``many_to_many`` fields given (``HistoricalM2M.prefetch``): the comparison is
    done here, in Python, so that a page's queries do not grow with its history.
    """
    tracked = [f for f in model._meta.fields if f.name not in UNTRACKED_FIELDS]
    tracked += list(many_to_many)
    previous = {}
    entries = []
    for record in records.order_by("history_date", "history_id"):
        before = previous.get(record.id)
        changes = []
        if before is not None:
            for model_field in tracked:
                old, new = _shown(before, model_field), _shown(record, model_field)
                if old != new:
                    changes.append((model_field.verbose_name, old, new))
        previous[record.id] = record
        if record.history_type == "~" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                action=HISTORY_ACTIONS.get(record.history_type, record.history_type),
                subject=describe(record),
                changes=changes,
            )
        )
    return entries


class HistoricalM2M:
    """A many-to-many field as django-simple-history keeps it, compared like a plain field."""

    is_relation = False
    choices = None

    def __init__(self, model, name):
        model_field = model._meta.get_field(name)
        self.verbose_name = model_field.verbose_name
        self.target = model_field.m2m_reverse_field_name()
        through = model.history.model._meta.get_field(f"historical{model._meta.model_name}_{name}")
        self.attname = through.get_accessor_name()
        self.through = through.related_model

    def prefetch(self):
        return Prefetch(self.attname, queryset=self.through.objects.select_related(self.target))

    def value_from(self, record):
        return ", ".join(sorted(str(getattr(row, self.target)) for row in getattr(record, self.attname).all()))


def latest_first(*entry_lists, limit=50):
    merged = [entry for entries in entry_lists for entry in entries]
    return sorted(merged, key=lambda entry: entry.when, reverse=True)[:limit]


def organisation_history(organisation):
    sectors = HistoricalM2M(Organisation, "sectors")
    return history_entries(
        Organisation.history.filter(id=organisation.pk)
        .select_related("commune", "history_user")
        .prefetch_related(sectors.prefetch()),
        Organisation,
        lambda record: str(_("Organisation")),
        many_to_many=[sectors],
    )


# A legal form written out or abbreviated, folded: registers write "HTX Đồng Xuân" and "Hợp tác xã Đồng Xuân".
LEGAL_FORM_ABBREVIATIONS = [
    ("lien hiep hop tac xa", "lh htx"),
    ("lien hiep hop tac xa", "lhhtx"),
    ("hop tac xa", "htx"),
    ("to hop tac", "tht"),
]


def folded_name_variants(name):
    """``fold(name)`` and the same with its leading legal form written out or abbreviated.

    'HTX Đồng Xuân' -> {'htx dong xuan', 'hop tac xa dong xuan'}.
    """
    folded = fold(name)
    variants = {folded}
    for written_out, abbreviated in LEGAL_FORM_ABBREVIATIONS:
        for start, other in ((written_out, abbreviated), (abbreviated, written_out)):
            if folded.startswith(start + " "):
                variants.add(other + folded[len(start) :])
    return variants


def likely_duplicate_organisations(name, commune, exclude=None, limit=10):
    """Organisations of the register named ``name`` in ``commune``, case, diacritics and an abbreviated legal
    form aside ("HTX" for "Hợp tác xã"): likely the one being saved. ``exclude`` is the organisation being
    edited. Whoever may choose a commune sees its organisations, so no scope applies."""
    if not name or commune is None:
        return []
    found = Organisation.objects.filter(search_name__in=folded_name_variants(name), commune=commune)
    if exclude is not None and exclude.pk is not None:
        found = found.exclude(pk=exclude.pk)
    return list(found.order_by("pk")[:limit])
