from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from coopportal.demo.accounts import seed_accounts
from members.demo import seed_registers
from workshops.demo import seed_workshops


class Command(BaseCommand):
    help = "Load the demo province: reference data, one account per role, registers and workshops. Idempotent."

    def handle(self, *args, **options):
        if not settings.PORTAL_DEMO_DATA:
            raise CommandError(_("The demo accounts' passwords are public: these settings do not allow the demo data."))
        call_command("load_admin_units", stdout=self.stdout)
        with transaction.atomic():
            accounts = seed_accounts()
            seed_registers()
            seed_workshops()
        self.stdout.write(_("Demo accounts (user name / password / role):"))
        for user, password in accounts:
            self.stdout.write(f"  {user.username:<12} {password:<20} {user.get_role_display()}")
