"""What points to a record of the register: the rows that depend on it, found from the models themselves.

A record made by mistake may be deleted only while nothing depends on it, and merging two records
of one person moves everything that points to the one merged away. Both ask the models which
foreign keys point to the record (``Model._meta.related_objects``) rather than keep a list, so that
a table added later is counted too. Relations without a reverse name (``related_name="+"``, as
django-simple-history gives its historical tables and the merge log gives its kept person) are
records *about* the row, not rows that depend on it, and are left out.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    ProtectedError,
    Q,
    RestrictedError,
)
from django.utils.translation import gettext as _


def dependent_relations(model):
    """The reverse one-to-many relations of ``model``: one per foreign key of another table pointing to it.

    Returns ``ManyToOneRel`` objects (``.related_model`` the table, ``.field`` its foreign key).
    Many-to-many relations pointing to ``model`` are not expected and are refused (ValueError), so
    that one added later is handled on purpose rather than ignored.
    """
    relations = []
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            raise ValueError(f"{relation} points to {model._meta.label} through a many-to-many relation.")
        relations.append(relation)
    return relations


def rows_pointing_to(instance, relation):
    """The rows of ``relation``'s table whose foreign key points to ``instance``."""
    return relation.related_model._base_manager.filter(**{relation.field.name: instance.pk})


def with_dependents_flag(queryset):
    """``queryset`` annotated with ``has_dependents``: whether any row of another table points to each row.

    One subquery per relation in the same query, so that a page shows or hides its delete button
    without a query more.
    """
    model = queryset.model
    condition = Q()
    for relation in dependent_relations(model):
        condition |= Q(Exists(relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})))
    if not condition:
        return queryset.annotate(has_dependents=ExpressionWrapper(Q(pk__in=[]), output_field=BooleanField()))
    return queryset.annotate(has_dependents=ExpressionWrapper(condition, output_field=BooleanField()))


def dependents_of(instance):
    """``[(relation, count)]`` of the rows pointing to ``instance``, those with none left out."""
    counted = []
    for relation in dependent_relations(type(instance)):
        count = rows_pointing_to(instance, relation).aggregate(count=Count("pk"))["count"]
        if count:
            counted.append((relation, count))
    return counted


def describe_dependents(counted):
    """'memberships: 2; management positions: 1', from ``dependents_of``, in the user's language."""
    return "; ".join(f"{relation.related_model._meta.verbose_name_plural}: {count}" for relation, count in counted)


def refuse_if_depended_on(record):
    """Raise ValidationError (code ``has_dependents``) naming the rows that point to ``record``, if any."""
    counted = dependents_of(record)
    if counted:
        raise ValidationError(
            _("This record cannot be deleted: %(rows)s depend on it.") % {"rows": describe_dependents(counted)},
            code="has_dependents",
        )


def delete_unless_depended_on(record, *, user):
    """Delete ``record``, made by mistake, when no row points to it; its history records the deletion.

    The caller holds ``record`` under a row lock (``select_for_update``): a row added meanwhile that
    points to it then waits for the deletion and is refused by the database, or was added first and is
    counted here. Raises ValidationError (code ``has_dependents``) naming what depends on it, never
    ProtectedError: a foreign key added later that PROTECTs it is caught as well.
    """
    refuse_if_depended_on(record)
    record._history_user = user
    try:
        with transaction.atomic():
            record.delete()
    except (ProtectedError, RestrictedError, IntegrityError) as error:
        raise ValidationError(
            _("This record cannot be deleted: other records depend on it."), code="has_dependents"
        ) from error
