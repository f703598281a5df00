"""python manage.py import_register FILE [--commit] [--json] [--user USERNAME]"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from coopportal.accounts.models import Role, User
from imports.engine import ENTITY_LABELS
from imports.models import ImportStatus, RegisterImport
from imports.services import import_check, import_save, import_upload


class Command(BaseCommand):
    help = _(
        "Check a register workbook (organisations and members) and, with --commit, save it all or nothing. "
        "Exits 0 when no row is refused, 1 otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the workbook (.xlsx) or CSV file"))
        parser.add_argument(
            "--commit", action="store_true", help=_("save when no row is refused (default: only check)")
        )
        parser.add_argument("--json", action="store_true", help=_("print one JSON object"))
        parser.add_argument(
            "--user", help=_("the account the import is made as (default: the first active administrator)")
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}) from error
        user = self.user(options["user"])
        register_import = import_upload(user=user, file_name=path.name, content=content)
        try:
            import_check(register_import=register_import)
        except Exception as error:
            # The import is not left "being checked" for ever; the traceback goes to the administrator.
            RegisterImport.objects.filter(pk=register_import.pk).update(status=ImportStatus.FAILED, failure=str(error))
            raise
        if register_import.status == ImportStatus.FAILED:
            errors = [{"sheet": "", "row": 0, "column": "", "message": register_import.failure}]
        else:
            if options["commit"] and not register_import.errors and register_import.has_changes:
                import_save(register_import=register_import, user=user)
            errors = register_import.errors
        result = {
            **register_import.counts,
            "errors": errors,
            "committed": register_import.status == ImportStatus.SAVED,
            "notes": register_import.notes,
            "import": register_import.pk,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.print(result)
        if errors:
            sys.exit(1)

    def user(self, username):
        users = User.objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None or not user.can_edit:
                raise CommandError(
                    _("No active administrator or staff account is called %(name)s.") % {"name": username}
                )
            return user
        user = users.filter(Q(is_superuser=True) | Q(role=Role.ADMINISTRATOR)).order_by("pk").first()
        if user is None:
            raise CommandError(_("No active administrator account: give one with --user."))
        return user

    def print(self, result):
        for entity, label in ENTITY_LABELS.items():
            counts = result.get(entity, {})
            self.stdout.write(
                _("%(what)s: %(create)s to create, %(update)s to update, %(unchanged)s unchanged")
                % {"what": label, **{key: counts.get(key, 0) for key in ("create", "update", "unchanged")}}
            )
        for error in result["errors"]:
            self.stdout.write(
                _("%(sheet)s, row %(row)s, %(column)s: %(message)s") % error if error["row"] else error["message"]
            )
        for note in result["notes"]:
            self.stdout.write(note)
        self.stdout.write(_("Saved.") if result["committed"] else _("Nothing was saved."))
