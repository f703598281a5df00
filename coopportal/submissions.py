"""One-time tokens for the forms that add rows: a re-sent, repeated or raced POST never saves twice.

Every form that adds rows (an organisation, a member, a term, a workshop, a participant, a sign-in
sheet, a presentation, a proposed solution, a register import, an issued report) carries a hidden
``submission_token``: a random nonce signed with the time the page was made (``new_token``). Its
save claims the token (``OneTimeSubmissionMixin.claim_submission``) by inserting the nonce into
``SubmittedForm``, whose ``token`` column is unique, in the same savepoint as the write:

- a second POST of the same token after the first (the Back button, a browser's re-send, a retry)
  finds the claim before its form is even checked (``refuse_resubmission``), writes nothing, and is
  sent to what the first one saved with a message;
- two at once: on PostgreSQL the unique index makes the second insert wait for the first's
  transaction and then fail (IntegrityError, caught in its own savepoint); on SQLite every
  transaction begins IMMEDIATE, so the second request starts after the first has committed and finds
  its claim. Either way it gets the same answer as a sequential one;
- a POST refused by the form or by the service raises inside the savepoint, which takes the claim
  back with the write: the page shown again keeps its token, and the corrected form saves;
- a missing, forged or expired token writes nothing: the form is shown again with the user's values,
  a fresh token and a message (``ValidationError``, code ``submission_token``). A page that sends none
  is not one the portal made, and could be sent any number of times, so it is not taken as new.

Claims older than a token may live are deleted at each claim (an index on ``created_at`` keeps that
cheap): a token that old is refused anyway, so the deletion never lets a form be saved twice.
"""

import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from coopportal.accounts.models import SubmittedForm

TOKEN_FIELD = "submission_token"
SALT = "coopportal.submissions"
# How long an opened form may wait before it is saved; its claim is kept as long, then deleted.
MAX_AGE = timedelta(days=2)


def new_token(user=None) -> str:
    """A fresh token for ``user``'s form page: a random nonce with her id, signed with the time it was made.

    The id binds the token to her: another account posting it (a token copied or leaked) saves
    nothing and does not use hers up. Tests may leave ``user`` out for a token any account may post.
    """
    nonce = secrets.token_urlsafe(24)
    return signing.TimestampSigner(salt=SALT).sign(f"{user.pk}.{nonce}" if user is not None else nonce)


def read_nonce(token, user=None) -> str | None:
    """The nonce of a token this portal made less than ``MAX_AGE`` ago for ``user`` (or for anyone), or None
    (missing, forged, expired, or made for another account)."""
    if not isinstance(token, str) or not 0 < len(token) <= 200:
        return None
    try:
        nonce = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    owner, dot, _random = nonce.rpartition(".")
    if dot and user is not None and owner != str(user.pk):
        return None
    return nonce if 0 < len(nonce) <= SubmittedForm._meta.get_field("token").max_length else None


class AlreadySubmitted(Exception):
    """The POST's token was claimed by an earlier save; ``submitted`` is that claim."""

    def __init__(self, submitted):
        super().__init__(submitted)
        self.submitted = submitted


class Submission:
    """A claimed token, as ``claim_submission`` yields it: ``saved`` records where what it saved is shown."""

    def __init__(self, row):
        self.row = row

    def saved(self, target):
        """Send a later POST of the same form to ``target`` (a URL, or a record with ``get_absolute_url``)."""
        url = target if isinstance(target, str) else target.get_absolute_url()
        self.row.result_url = url[: SubmittedForm._meta.get_field("result_url").max_length]
        SubmittedForm.objects.filter(pk=self.row.pk).update(result_url=self.row.result_url)


def token_refused():
    """The form's refusal when its token cannot be read: nothing saved, save again (the page has a new one)."""
    return ValidationError(
        _(
            "This form could not be recognised as one opened in the portal (the page may be too old), so "
            "nothing was saved. Check the form below and save again, or reload the page."
        ),
        code="submission_token",
    )


@contextmanager
def claim(request):
    """Claim the token posted with ``request`` for the write inside the block, in one savepoint with it.

    Raises ``token_refused()`` (a ValidationError) when the token cannot be read, and
    ``AlreadySubmitted`` when another save claimed it first; an exception inside the block takes the
    claim back with the write. Yields a ``Submission``.
    """
    nonce = read_nonce(request.POST.get(TOKEN_FIELD), request.user)
    if nonce is None:
        raise token_refused()
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = SubmittedForm.objects.create(
                    token=nonce,
                    user=request.user,
                    path=request.path[: SubmittedForm._meta.get_field("path").max_length],
                )
        except IntegrityError as error:
            # On PostgreSQL the insert waited for the first save's transaction: its claim is committed now.
            raise AlreadySubmitted(SubmittedForm.objects.filter(token=nonce).first()) from error
        SubmittedForm.objects.filter(created_at__lt=timezone.now() - MAX_AGE).delete()
        yield Submission(row)


class OneTimeSubmissionMixin:
    """View mixin for a form that adds rows: its page carries a one-time token, its save claims it.

    Put it after the permission mixins and before the generic view. The template includes
    ``includes/submission_token.html`` inside the form; the view writes inside
    ``with self.claim_submission():`` (within the ``try`` that shows a service's ValidationError on the
    form), and a view with its own ``post`` calls ``self.refuse_resubmission()`` once it has found the
    rows the URL names. A view that also edits says which requests add rows in ``adds_rows``.
    Where a second POST is sent is the first one's redirect, unless the view says otherwise with
    ``self.submission.saved(...)``.
    """

    submission = None

    def adds_rows(self):
        """Whether this request's form adds rows (a view that also edits a saved row says no for that)."""
        return True

    def submission_token(self):
        """The token for the page: the one posted when it can still be claimed (a form shown again), else a new one."""
        posted = self.request.POST.get(TOKEN_FIELD) if self.request.method == "POST" else None
        return posted if read_nonce(posted, self.request.user) else new_token(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
        except AlreadySubmitted as error:
            return self.already_saved(error.submitted)
        if self.submission is not None and not self.submission.row.result_url and 300 <= response.status_code < 400:
            self.submission.saved(response["Location"])
        if request.method == "POST" and self.submission is None and response.status_code == 200:
            # A form refused by a check that saw the rows an identical POST saved meanwhile (it claimed the
            # token after this one looked): "already listed" would be true, but "already saved" is the answer.
            try:
                self.refuse_resubmission()
            except AlreadySubmitted as error:
                return self.already_saved(error.submitted)
        return response

    def post(self, request, *args, **kwargs):
        self.refuse_resubmission()
        return super().post(request, *args, **kwargs)

    def refuse_resubmission(self):
        """Raise ``AlreadySubmitted`` when the posted token was claimed already, before the form is checked."""
        if not self.adds_rows():
            return
        nonce = read_nonce(self.request.POST.get(TOKEN_FIELD), self.request.user)
        submitted = SubmittedForm.objects.filter(token=nonce).first() if nonce else None
        if submitted is not None:
            raise AlreadySubmitted(submitted)

    @contextmanager
    def claim_submission(self):
        """``claim`` for this request, the claim kept on the view (``self.submission``)."""
        try:
            with claim(self.request) as submission:
                self.submission = submission
                yield submission
        except BaseException:
            self.submission = None
            raise

    def get_context_data(self, **kwargs):
        if self.adds_rows():
            kwargs.setdefault(TOKEN_FIELD, self.submission_token())
        return super().get_context_data(**kwargs)

    def resubmission_url(self):
        """Where a second POST goes when the first one's result is unknown: the form's page."""
        return self.request.path

    def already_saved(self, submitted):
        """Answer a second POST of a saved form: nothing written; to what the first one saved, with a message."""
        said = _("This form has already been saved; it was not saved a second time.")
        if submitted is None or submitted.user_id != self.request.user.pk or not submitted.result_url:
            messages.warning(self.request, said)
            return redirect(self.resubmission_url())
        messages.warning(
            self.request,
            format_html('{} <a href="{}">{}</a>', said, submitted.result_url, _("See what it saved.")),
        )
        return redirect(submitted.result_url)
