"""Settings for a developer's machine and `make run`: debug pages on, no HTTPS."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# Static files straight from static/, without collectstatic.
WHITENOISE_USE_FINDERS = True
