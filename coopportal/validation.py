"""Model validation for batches: the same rules as ``full_clean()``, without a query per row.

``Model.full_clean()`` asks the database whether each foreign key exists and evaluates each check
constraint with a query. A batch of ten thousand new rows whose related rows it has just read or
written needs neither: ``batch_clean`` skips the foreign-key look-ups it is told to, and evaluates
check constraints here with SQL's three-valued logic (a condition that is unknown passes, as in
the database). A condition it cannot evaluate goes to the database, as ``full_clean()`` would.

And the way back: a constraint the database finds broken (``constraint_errors``) becomes the
ValidationError the model's own check gives for it, so that a form shows one message whichever
found the fault first.
"""

import re
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, F, Q, UniqueConstraint

COMPARISONS = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


class NotEvaluable(Exception):
    """A condition with a lookup or expression this module does not evaluate."""


def _operand(instance, value):
    if isinstance(value, F):
        return _attribute(instance, value.name)
    if hasattr(value, "resolve_expression"):
        raise NotEvaluable(value)
    return value


def _attribute(instance, name):
    field = instance._meta.get_field(name)
    return getattr(instance, field.attname)


def _condition(instance, node):
    """True, False or None (unknown) for a Q node, as SQL would evaluate it."""
    if isinstance(node, Q):
        results = [_condition(instance, child) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        return result if result is None or not node.negated else not result
    if not isinstance(node, tuple):
        raise NotEvaluable(node)
    name, value = node
    field_name, _, lookup = name.partition("__")
    lookup = lookup or "exact"
    current = _attribute(instance, field_name)
    if lookup == "isnull":
        return (current is None) == bool(value)
    if lookup not in COMPARISONS:
        raise NotEvaluable(name)
    other = _operand(instance, value)
    if current is None or other is None:
        return None
    return COMPARISONS[lookup](current, other)


def check_constraints(instance):
    """Raise ValidationError for the first check constraint ``instance`` breaks (all are evaluated)."""
    errors = []
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            constraint.validate(type(instance), instance)
            continue
        try:
            passes = _condition(instance, constraint.condition) is not False
        except NotEvaluable:
            try:
                constraint.validate(type(instance), instance)
                passes = True
            except ValidationError as error:
                errors.append(error)
                continue
        if not passes:
            errors.append(
                ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            )
    if errors:
        raise ValidationError(errors)


def batch_clean(instance, *, known_relations=()):
    """``full_clean()`` with the foreign keys in ``known_relations`` not looked up and constraints evaluated here.

    Raises ValidationError as ``full_clean()`` does (a dict of field errors; constraint errors under
    ``__all__``).
    """
    errors = {}
    try:
        instance.full_clean(exclude=list(known_relations), validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        check_constraints(instance)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


# Rules the database enforces beyond what Django declares (members/migrations/0003_period_exclusion.py):
# the constraint's name, the field its error goes on, and the method of the model giving the error its
# ``clean()`` raises for the same fault, so that a form shows one message whichever of the two finds it.
EXCLUSION_RULES = {
    "membership_no_overlapping_periods": ("joined_on", "overlap_error"),
    "position_single_holder_no_overlapping_terms": ("started_on", "single_holder_error"),
}

# 'Key (person_id, organisation_id)=(1, 2) already exists.' (PostgreSQL) and
# 'UNIQUE constraint failed: members_person.citizen_id' (SQLite): the columns a unique violation names.
POSTGRESQL_KEY = re.compile(r"Key \((?P<columns>[^)]*)\)=")
SQLITE_FAILED = re.compile(r"^(?P<kind>UNIQUE|CHECK) constraint failed: (?P<what>.+)$")


def _violated(error):
    """(constraint name or None, table or None, columns) that an IntegrityError reports."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:
        match = POSTGRESQL_KEY.search(diag.message_detail or "")
        columns = [column.strip().strip('"') for column in match["columns"].split(",")] if match else []
        return diag.constraint_name, diag.table_name, columns
    match = SQLITE_FAILED.match(str(error))
    if match is None:
        return None, None, []
    if match["kind"] == "CHECK":
        return match["what"], None, []
    pairs = [item.strip().rsplit(".", 1) for item in match["what"].split(",")]
    tables = {pair[0] for pair in pairs if len(pair) == 2}
    return None, tables.pop() if len(tables) == 1 else None, [pair[-1] for pair in pairs]


def database_violation(instance, error):
    """The ValidationError that ``instance.full_clean()`` gives for the fault ``error`` (an IntegrityError) reports.

    Covers the exclusion constraints of ``EXCLUSION_RULES``, the constraints of the model's ``Meta``
    and its ``unique=True`` fields; the same field, message and code as Django's own check or the
    model's ``clean()``. None when the fault is not one of these (a missing row, a NOT NULL).
    """
    model = type(instance)
    name, table, columns = _violated(error)
    if name in EXCLUSION_RULES:
        field, method = EXCLUSION_RULES[name]
        if hasattr(instance, method):
            return ValidationError({field: getattr(instance, method)()})
        return None
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return _constraint_error(instance, constraint)
    if not columns or (table is not None and table != model._meta.db_table):
        return None
    fields_by_column = {field.column: field.name for field in model._meta.concrete_fields}
    if not set(columns) <= set(fields_by_column):
        return None
    fields = tuple(fields_by_column[column] for column in columns)
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and set(constraint.fields) == set(fields):
            return _constraint_error(instance, constraint)
    unique_error = instance.unique_error_message(model, fields)
    return ValidationError({fields[0] if len(fields) == 1 else NON_FIELD_ERRORS: unique_error})


def _constraint_error(instance, constraint):
    """The error ``Model.validate_constraints()`` gives for ``constraint``, on the field it puts it on."""
    fields = getattr(constraint, "fields", ())
    if (
        isinstance(constraint, UniqueConstraint)
        and fields
        and constraint.violation_error_message == (constraint.default_violation_error_message)
    ):
        error = instance.unique_error_message(type(instance), tuple(fields))
    else:
        error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
    if getattr(error, "code", None) == "unique" and len(fields) == 1:
        return ValidationError({fields[0]: error})
    return ValidationError({NON_FIELD_ERRORS: error})


@contextmanager
def constraint_errors(instance):
    """Write ``instance`` inside this block; a constraint the database finds broken raises ValidationError.

    The block runs in a savepoint, so that the transaction around it (a request's) stays usable
    after the refusal. Two requests at once can both pass ``full_clean()`` (PostgreSQL, READ
    COMMITTED); the second's write then breaks a unique or exclusion constraint, and this turns
    it into the error ``full_clean()`` would have given (``database_violation``), never a 500.
    An IntegrityError it does not recognise is raised as it is.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        violation = database_violation(instance, error)
        if violation is None:
            raise
        raise violation from error


def validated_save(instance):
    """``full_clean()``, then ``save()``: the one way the services write a row of the register.

    Raises ValidationError for what the model's rules refuse, and for a constraint the database
    finds broken meanwhile (``constraint_errors``). Returns ``instance``.
    """
    instance.full_clean()
    with constraint_errors(instance):
        instance.save()
    return instance


def model_update(instance, **fields):
    """Set ``fields`` (``{name: value}``) on ``instance`` and ``validated_save`` it; returns ``instance``.

    The shape of the HackSoft Styleguide's ``model_update``: one update loop for every service.
    """
    for name, value in fields.items():
        setattr(instance, name, value)
    return validated_save(instance)
