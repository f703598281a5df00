"""Model validation for batches: the same rules as ``full_clean()``, without a query per row.

``Model.full_clean()`` asks the database whether each foreign key exists and evaluates each check
constraint with a query. A batch of ten thousand new rows whose related rows it has just read or
written needs neither: ``batch_clean`` skips the foreign-key look-ups it is told to, and evaluates
check constraints here with SQL's three-valued logic (a condition that is unknown passes, as in
the database). A condition it cannot evaluate goes to the database, as ``full_clean()`` would.
"""

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

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
