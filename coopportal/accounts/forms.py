"""The login form: a user name no account could have is refused with a message, before anything records it."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator

from coopportal.text import refuse_control_characters


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length and characters checked by the server.

    Django's own form only tells the browser the user name's maximum length; a longer one typed by
    hand or posted by a script went on to ``authenticate()``, whose failure django-axes records in
    a 255-character column (a server error on PostgreSQL).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        # Ours names every control character in Vietnamese; Django's NUL check says it again, in English.
        django_nul_check = [v for v in username.validators if isinstance(v, ProhibitNullCharactersValidator)]
        username.validators = [
            *(v for v in username.validators if v not in django_nul_check),
            MaxLengthValidator(username.max_length),
            refuse_control_characters,
        ]
