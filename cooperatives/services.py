"""Every write to the organisations register goes through here."""

from django.db import transaction

from coopportal.records import delete_unless_depended_on
from coopportal.validation import model_update, validated_save

from .models import Organisation


@transaction.atomic
def organisation_register(*, name, legal_form, commune, sectors=(), **fields) -> Organisation:
    """A new organisation; raises ValidationError by the model's rules, a registration number taken meanwhile
    by another request included (the database's unique constraint, with the check's message)."""
    organisation = Organisation(name=name, legal_form=legal_form, commune=commune, **fields)
    validated_save(organisation)
    if sectors:
        organisation.sectors.set(sectors)
    return organisation


@transaction.atomic
def organisation_update(*, organisation, sectors=None, **fields) -> Organisation:
    """Edit an organisation; raises ValidationError as ``organisation_register``."""
    model_update(organisation, **fields)
    if sectors is not None:
        organisation.sectors.set(sectors)
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation, user) -> None:
    """Delete an organisation registered by mistake; its history stays, with the deletion as its last entry.

    ``organisation`` must come from ``Organisation.objects.for_user(user)``; it is read again here
    under a row lock. Refused (ValidationError, code ``has_dependents``, naming what depends on it)
    while any row points to it: a membership, a term, a workshop participant linked to it
    (``coopportal.records.delete_unless_depended_on``).
    """
    organisation = Organisation.objects.for_user(user).select_for_update().get(pk=organisation.pk)
    delete_unless_depended_on(organisation, user=user)
