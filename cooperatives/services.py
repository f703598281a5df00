"""Every write to the organisations register goes through here."""

from django.db import transaction

from coopportal.validation import constraint_errors

from .models import Organisation


@transaction.atomic
def organisation_register(*, name, legal_form, commune, sectors=(), **fields) -> Organisation:
    """A new organisation; raises ValidationError by the model's rules, a registration number taken meanwhile
    by another request included (the database's unique constraint, with the check's message)."""
    organisation = Organisation(name=name, legal_form=legal_form, commune=commune, **fields)
    organisation.full_clean()
    with constraint_errors(organisation):
        organisation.save()
    if sectors:
        organisation.sectors.set(sectors)
    return organisation


@transaction.atomic
def organisation_update(*, organisation, sectors=None, **fields) -> Organisation:
    """Edit an organisation; raises ValidationError as ``organisation_register``."""
    for field, value in fields.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    with constraint_errors(organisation):
        organisation.save()
    if sectors is not None:
        organisation.sectors.set(sectors)
    return organisation
