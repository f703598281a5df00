"""Optimistic concurrency for the edit forms: nobody saves over a version of a record they have not seen.

An edit form carries, in a hidden field, a signed snapshot of the record's tracked fields as they
were when the form was opened (``version_token``). On POST the view re-reads the record under a row
lock (``lock_record``, or ``LockedRecordMixin`` for an ``UpdateView``) and the form
(``EditConflictMixin``) compares the snapshot with the record as it is now. If any tracked field
changed meanwhile, nothing is saved: the form is shown again with a message naming each change, the
fields someone else changed show their new values, and the token is renewed, so that a second
submit saves what the user now sees.

The lock matters as much as the comparison: without it two saves could both compare against the
same version and both write. On PostgreSQL it is ``SELECT … FOR UPDATE``, held until the request's
transaction ends (``ATOMIC_REQUESTS``); SQLite has no row locks, but every transaction there begins
IMMEDIATE, which serialises writers as a whole.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

TOKEN_FIELD = "record_version"
SALT = "coopportal.concurrency.record_version"


def lock_record(queryset, **lookup):
    """The one row of ``queryset`` matching ``lookup``, read under a row lock held until the transaction ends.

    Only the row itself is locked (``of=("self",)``), whatever ``select_related`` joins. Answers 404
    as ``get_object_or_404`` does. Must run inside a transaction, as every request does.
    """
    return get_object_or_404(queryset.select_for_update(of=("self",)), **lookup)


def record_for_edit(request, queryset, **lookup):
    """``get_object_or_404`` for an edit view: under a row lock when the request saves (POST), plain otherwise."""
    if request.method == "POST":
        return lock_record(queryset, **lookup)
    return get_object_or_404(queryset, **lookup)


class LockedRecordMixin:
    """For an ``UpdateView``: on POST its object is read under a row lock, so that check and write are one step."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.select_for_update(of=("self",)) if self.request.method == "POST" else queryset


def _model_field(record, name):
    return type(record)._meta.get_field(name)


def tracked_values(record, names):
    """``{name: value}`` of ``record``'s fields ``names``, in a form JSON keeps unchanged.

    Dates become ISO strings, a foreign key its primary key (or None), a many-to-many field the
    sorted list of its primary keys (read from the database, not a prefetch cache); text, numbers
    and booleans stay as they are.
    """
    values = {}
    for name in names:
        field = _model_field(record, name)
        if field.many_to_many:
            value = sorted(getattr(record, name).values_list("pk", flat=True))
        elif field.is_relation:
            value = getattr(record, field.attname)
        else:
            value = getattr(record, name)
            if isinstance(value, date | datetime):
                value = value.isoformat()
        values[name] = value
    return values


def _record_key(record):
    return f"{record._meta.label_lower}:{record.pk}"


def version_token(record, names):
    """A signed token of ``record``'s tracked values now, with the time it was made, for the form's hidden field."""
    payload = {"record": _record_key(record), "values": tracked_values(record, names), "at": timezone.now().isoformat()}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token, record):
    """``(values, made_at)`` from a token of ``record``, or None when it is missing, forged or of another record."""
    try:
        payload = signing.loads(token or "", salt=SALT)
        if not isinstance(payload, dict) or payload.get("record") != _record_key(record):
            return None
        values, made_at = payload["values"], datetime.fromisoformat(payload["at"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (values, made_at) if isinstance(values, dict) else None


def describe(record, name, value):
    """How a tracked value (as ``tracked_values`` gives it) reads in a message: labels, names, dd/mm/yyyy."""
    field = _model_field(record, name)
    if value is None or value == "" or value == []:
        return _("empty")
    if field.many_to_many or field.is_relation:
        pks = value if isinstance(value, list) else [value]
        found = {row.pk: str(row) for row in field.related_model._default_manager.filter(pk__in=pks)}
        return ", ".join(found.get(pk, f"#{pk}") for pk in pks)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    if field.get_internal_type() == "DateField":
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return Truncator(str(value)).chars(80)


@dataclass(frozen=True)
class Change:
    """One tracked field someone else changed: its label and both values as they read in a message."""

    label: str
    now: str
    was: str


@dataclass(frozen=True)
class EditConflict:
    """Why a save was refused: the changes made since the form was opened, or an unreadable token.

    ``changes`` is empty when the token could not be read (missing, forged, of another record):
    then nothing is known of what the user saw. ``saved_by``/``saved_at`` name the last save the
    history knows of, when it came after the form was opened.
    """

    changes: tuple[Change, ...] = ()
    readable: bool = True
    saved_by: str = ""
    saved_at: datetime | None = None

    @property
    def message(self):
        """The sentence shown above the form (English msgid, translated through gettext)."""
        if not self.readable:
            return _(
                "This form could not be checked against the saved record (it may come from an old page), so "
                "nothing was saved. The form now shows the record as it is: check and save again."
            )
        changes = "; ".join(
            _("%(field)s is now %(now)s (was %(was)s)") % {"field": c.label, "now": c.now, "was": c.was}
            for c in self.changes
        )
        if self.saved_by and self.saved_at:
            return _(
                "%(user)s saved this record at %(time)s, after you opened it: %(changes)s. Check and save again."
            ) % {
                "user": self.saved_by,
                "time": timezone.localtime(self.saved_at).strftime("%H:%M %d/%m/%Y"),
                "changes": changes,
            }
        return _("Someone else saved this record after you opened it: %(changes)s. Check and save again.") % {
            "changes": changes
        }


def last_save(record, after):
    """``(user, when)`` of the record's last saved version when its history has one after ``after``, else ("", None)."""
    history = getattr(record, "history", None)
    latest = history.order_by("-history_date", "-history_id").first() if history is not None else None
    if latest is None or latest.history_date <= after or latest.history_user_id is None:
        return "", None
    return str(latest.history_user), latest.history_date


def find_conflict(token, record, names, labels=None):
    """The ``EditConflict`` between a token and ``record`` as it is now, or None when nothing tracked changed.

    ``labels`` maps field names to the labels the form shows (the model's verbose names otherwise).
    """
    read = read_token(token, record)
    if read is None:
        return EditConflict(readable=False)
    seen, made_at = read
    now = tracked_values(record, names)
    labels = labels or {}
    changes = tuple(
        Change(
            label=str(labels.get(name) or capfirst(_model_field(record, name).verbose_name)),
            now=describe(record, name, now[name]),
            was=describe(record, name, seen.get(name)),
        )
        for name in names
        if name not in seen or seen[name] != now[name]
    )
    if not changes:
        return None
    saved_by, saved_at = last_save(record, made_at)
    return EditConflict(changes=changes, saved_by=saved_by, saved_at=saved_at)


class EditConflictMixin:
    """Form mixin: refuses to save over a version of the record the user has not seen.

    Put it first among the form's bases. ``record`` is the saved instance being changed (a model
    form's ``instance`` by default); without a saved one (an add form) the mixin does nothing. The
    tracked fields are ``tracked_fields`` (keyword or class attribute), by default the form's fields
    that are fields of the record's model. The view must hand the form a record read under a row
    lock on POST (``lock_record``), so that nothing changes between the comparison and the write.

    On a conflict ``clean()`` adds a non-field error (code ``edit_conflict``) naming what changed,
    sets ``edit_conflict``, puts the current values of the fields someone else changed (all tracked
    fields when the token was unreadable) into the form's data, and renews the token. The token never
    reaches ``cleaned_data``.
    """

    tracked_fields = None

    def __init__(self, *args, record=None, tracked_fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is None:
            record = getattr(self, "instance", None)
        self.record = record if record is not None and record.pk is not None else None
        self.edit_conflict = None
        if self.record is None:
            return
        if tracked_fields is not None:
            self.tracked_fields = tuple(tracked_fields)
        elif self.tracked_fields is None:
            self.tracked_fields = tuple(name for name in self.fields if self._is_model_field(name))
        if not self.tracked_fields:
            raise ImproperlyConfigured(f"{type(self).__name__} tracks no field of {self.record._meta.label}.")
        self.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.fields[TOKEN_FIELD].initial = version_token(self.record, self.tracked_fields)

    def _is_model_field(self, name):
        try:
            _model_field(self.record, name)
        except FieldDoesNotExist:
            return False
        return True

    def clean(self):
        """The form's own checks, then the version: a newer record adds the ``edit_conflict`` error."""
        cleaned_data = super().clean()
        if self.record is None:
            return cleaned_data
        token = cleaned_data.pop(TOKEN_FIELD, "")
        labels = {name: self.fields[name].label for name in self.tracked_fields if name in self.fields}
        conflict = find_conflict(token, self.record, self.tracked_fields, labels)
        if conflict is not None:
            self.edit_conflict = conflict
            self.add_error(None, ValidationError(conflict.message, code="edit_conflict"))
            self._show_record_as_it_is(token)
        return cleaned_data

    def _show_record_as_it_is(self, token):
        """Put into the form's data the current values of what changed, and a token of the record as it is."""
        read = read_token(token, self.record)
        seen = read[0] if read else {}
        now = tracked_values(self.record, self.tracked_fields)
        data = self.data.copy()
        for name, value in now.items():
            if name in self.fields and (read is None or seen.get(name) != value):
                self._put(data, name, value)
        data[self.add_prefix(TOKEN_FIELD)] = version_token(self.record, self.tracked_fields)
        self.data = data

    def _put(self, data, name, value):
        """``value`` (from ``tracked_values``) written into ``data`` as the field's widget would post it."""
        field, key = self.fields[name], self.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
            else:
                data.pop(key, None)
        elif isinstance(value, list):
            strings = [str(pk) for pk in value]
            if hasattr(data, "setlist"):
                data.setlist(key, strings)
            else:
                data[key] = strings
        elif value is None:
            data[key] = ""
        elif isinstance(value, int) and field.localize:
            data[key] = formats.localize_input(value)
        else:
            data[key] = str(value)
