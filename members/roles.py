"""Management roles and which one decides that an organisation is women-managed (DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Governance, LegalForm


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair of the Board of Directors")
    BOARD_MEMBER = "board_member", _("Member of the Board of Directors")
    DIRECTOR = "director", _("Director / General Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy Director")
    SUPERVISORY_HEAD = "supervisory_head", _("Head of the Supervisory Board")
    SUPERVISORY_MEMBER = "supervisory_member", _("Member of the Supervisory Board")
    CONTROLLER = "controller", _("Controller")
    CHIEF_ACCOUNTANT = "chief_accountant", _("Chief Accountant")
    GROUP_LEADER = "group_leader", _("Group leader")


# Every role above is a management role; listed so that a new non-management role must choose.
MANAGEMENT_ROLES = frozenset(Role.values)

# Roles one person at a time may hold in an organisation.
SINGLE_HOLDER_ROLES = frozenset({Role.CHAIR, Role.DIRECTOR, Role.GROUP_LEADER})

BOARD_ROLES = frozenset({Role.CHAIR, Role.BOARD_MEMBER, Role.SUPERVISORY_HEAD, Role.SUPERVISORY_MEMBER})


def top_role_for(legal_form, governance):
    """Chair of the Board; where there is no board, the Director; for a group, the group leader."""
    if legal_form == LegalForm.COOPERATIVE_GROUP:
        return Role.GROUP_LEADER
    if governance == Governance.SIMPLIFIED:
        return Role.DIRECTOR
    return Role.CHAIR


def roles_allowed_for(legal_form, governance):
    if legal_form == LegalForm.COOPERATIVE_GROUP:
        return frozenset({Role.GROUP_LEADER, Role.CHIEF_ACCOUNTANT})
    if governance == Governance.SIMPLIFIED:
        return frozenset(Role.values) - BOARD_ROLES - {Role.GROUP_LEADER}
    return frozenset(Role.values) - {Role.CONTROLLER, Role.GROUP_LEADER}
