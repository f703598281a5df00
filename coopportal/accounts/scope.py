"""The one rule of who sees which rows: every view, selector and export filters through here.

Administrators, officials and province-wide staff see the whole province; other staff only the
communes of their scope. The rule is applied to a queryset through the path from its model to an
administrative unit (``commune_path``), so that each model states that path once, in its manager.
"""


def commune_ids_in_scope(user):
    """The ids of the communes a user is limited to, or None when the whole province is theirs."""
    if not user.is_authenticated:
        return set()
    if user.sees_whole_province:
        return None
    cached = getattr(user, "_commune_ids_in_scope", None)
    if cached is None:
        cached = set(user.scope_communes.values_list("pk", flat=True))
        user._commune_ids_in_scope = cached
    return cached


def restrict_to_scope(queryset, user, commune_path):
    """The rows of ``queryset`` that lie in ``user``'s scope."""
    commune_ids = commune_ids_in_scope(user)
    if commune_ids is None:
        return queryset
    return queryset.filter(**{f"{commune_path}__in": commune_ids})
