"""Writes to accounts: every account is made through here, the demo accounts too."""

from django.db import transaction

from .models import User


@transaction.atomic
def user_save(*, username, password, role, province_wide=False, scope_communes=(), **fields) -> User:
    """Create the account or bring an existing one to exactly these values."""
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = role
    user.province_wide = province_wide
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.scope_communes.set(scope_communes)
    return user
