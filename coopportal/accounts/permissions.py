"""Mixins that every portal view takes: who may open it, and which rows it may reach."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin


class PortalViewMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Any logged-in user; subclasses narrow ``test_func``."""

    raise_exception = False

    def test_func(self):
        return True

    def handle_no_permission(self):
        self.raise_exception = self.request.user.is_authenticated
        return super().handle_no_permission()


class EditorRequiredMixin(PortalViewMixin):
    """Administrators and staff: those who enter and correct data."""

    def test_func(self):
        return self.request.user.can_edit


class PeopleViewerRequiredMixin(PortalViewMixin):
    """Those who may see individuals' records (never officials)."""

    def test_func(self):
        return self.request.user.may_see_people


class AdministratorRequiredMixin(PortalViewMixin):
    def test_func(self):
        return self.request.user.is_administrator


class ScopedQuerysetMixin:
    """Detail, update and list views see only rows in the user's scope: a forged URL gets 404."""

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)
