"""A membership or a term entered by mistake, deleted; then the person entered by mistake can be too.

Ending a membership or a term keeps it as history: that is what a real departure is. A row that
should never have been entered (the wrong person picked, a term typed twice) is deleted instead.
Its history (django-simple-history) stays, with the deletion, who made it and why, as its last entry.
A deletion is refused, saying what depends on the row, while any row of another table points to it
(``coopportal.records``: none does today, and a table added later is counted without a change here).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from coopportal.records import delete_unless_depended_on

from .models import ManagementPosition, Membership


def _locked(model, user, pk):
    """The row ``pk`` of ``model`` in ``user``'s scope, under a row lock; PermissionDenied otherwise.

    The scope is a subquery, so that the lock is taken on the row alone.
    """
    row = (
        model.objects.select_for_update(of=("self",))
        .select_related("person", "organisation")
        .filter(pk__in=model.objects.for_user(user).filter(pk=pk).values("pk"))
        .first()
    )
    if row is None:
        raise PermissionDenied(_("This record is not in your scope."))
    return row


@transaction.atomic
def membership_delete(*, membership: Membership, user) -> None:
    """Delete a membership entered by mistake; its history keeps it, with the deletion as its last entry.

    The membership must be in ``user``'s scope (PermissionDenied). Raises ValidationError (code
    ``has_dependents``) while any row points to it.
    """
    membership = _locked(Membership, user, membership.pk)
    membership._change_reason = _("Entered by mistake")
    delete_unless_depended_on(membership, user=user)


@transaction.atomic
def position_delete(*, position: ManagementPosition, user) -> None:
    """Delete a term entered by mistake; its history keeps it, with the deletion as its last entry.

    The term must be in ``user``'s scope (PermissionDenied). Raises ValidationError (code
    ``has_dependents``) while any row points to it.
    """
    position = _locked(ManagementPosition, user, position.pk)
    position._change_reason = _("Entered by mistake")
    delete_unless_depended_on(position, user=user)
