"""Django's own messages that its Vietnamese catalogue lacks, or gets wrong, for the portal's catalogue to give.

Django reads the project's catalogue (``LOCALE_PATHS``) after its own, so a translation here wins.
Marked with ``gettext_noop`` so that ``make messages`` extracts them; nothing calls this module.
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = [
    # Missing from Django's Vietnamese: shown in English on a form field that receives a NUL.
    gettext_noop("Null characters are not allowed."),
    # Missing: an id that is not a number, on a many-choice field.
    gettext_noop("“%(pk)s” is not a valid value."),
    # Django's Vietnamese puts a space before the full stop, and reads "a whole number" as "số tổng thể".
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Enter a whole number."),
]
