"""Every write to the organisations register goes through here."""

from django.db import transaction

from .models import Organisation


@transaction.atomic
def organisation_register(*, name, legal_form, commune, sectors=(), **fields) -> Organisation:
    organisation = Organisation(name=name, legal_form=legal_form, commune=commune, **fields)
    organisation.full_clean()
    organisation.save()
    if sectors:
        organisation.sectors.set(sectors)
    return organisation


@transaction.atomic
def organisation_update(*, organisation, sectors=None, **fields) -> Organisation:
    for field, value in fields.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    if sectors is not None:
        organisation.sectors.set(sectors)
    return organisation
