"""Settings for the test suite: fast hashing, no throttling surprises, in-memory e-mail."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A missing template variable shows up as <<MISSING name>> in a test's page, not as an empty string.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "<<MISSING %s>>"  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Static files come from the finders; no collected directory, so WhiteNoise has nothing to warn about.
STATIC_ROOT = None
# Background work runs inside the request that enqueues it, and progress lives in this process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
