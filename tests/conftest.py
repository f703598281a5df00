import pytest
from django.conf import settings
from django.core.management import call_command

from coopportal.accounts.models import Role
from cooperatives.models import AdministrativeUnit

from .factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the configured province's communes, as after `make run`."""
    with django_db_blocker.unblock():
        call_command("load_admin_units", verbosity=0)


@pytest.fixture
def province():
    return AdministrativeUnit.objects.get(level="province", code=settings.PORTAL_PROVINCE_CODE)


@pytest.fixture
def commune_a():
    return AdministrativeUnit.objects.get(level="commune", scheme="2025", code="21025")  # Phường Cẩm Thành


@pytest.fixture
def commune_b():
    return AdministrativeUnit.objects.get(level="commune", scheme="2025", code="21289")  # Xã Sơn Hà


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, username="admin1")


@pytest.fixture
def provincial_staff(db):
    return UserFactory(role=Role.STAFF, province_wide=True, username="province1")


@pytest.fixture
def commune_staff(db, commune_a):
    return UserFactory(role=Role.STAFF, province_wide=False, username="commune1", scope_communes=[commune_a])


@pytest.fixture
def official(db):
    return UserFactory(role=Role.OFFICIAL, username="official1")
