"""Fields that read input as people mean it, or refuse it with a message; never change it silently.

The model fields normalise in ``to_python``, which ``full_clean()`` runs on every path that writes
the register (forms, the admin, imports, services), and give forms the matching form field. Lengths
are checked by the server with a message: the form fields render no ``maxlength``, so a browser
never cuts a 13-digit citizen ID to 12 without a word.
"""

import re
from datetime import date

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import normalise_line, normalise_lines, refuse_control_characters

# ---- Forms ---------------------------------------------------------------------------------------


class _TextFormField(forms.CharField):
    """What the two text form fields share: one message for every control character (Django's own NUL
    check would add a second), and no ``maxlength`` for a browser to truncate with."""

    default_validators = [refuse_control_characters]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, validators.ProhibitNullCharactersValidator)
        ]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class TextLineFormField(_TextFormField):
    """A line of text: normalised (``normalise_line``), control characters refused, length told."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value in self.empty_values else normalise_line(value)


class TextLinesFormField(_TextFormField):
    """Several lines of text, normalised with ``normalise_lines``."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return value if value in self.empty_values else normalise_lines(value)


class AmountFormField(forms.IntegerField):
    """An amount in whole đồng as staff type it in either language: see ``parse_amount``."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            return parse_amount(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_amount") from None

    def widget_attrs(self, widget):
        # A text input: no browser-side min/max/step on something typed with separators.
        return {}


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with ids too large for any database refused as invalid choices.

    Django checks each id by filtering on it: a 19-digit id overflowed SQLite's integers (a 500)
    instead of being "not one of the available choices".
    """

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                text = str(pk).strip()
                if text.lstrip("-").isdigit() and not -(2**63) <= int(text) < 2**63:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


# ---- Amounts -------------------------------------------------------------------------------------

# Whole đồng, digits grouped by threes with ONE separator used throughout: 10000000, 10.000.000,
# 10,000,000 or 10 000 000 (any space, including the no-break spaces Excel and Word put there).
_GROUPED = re.compile(r"[0-9]{1,3}(?P<sep>[.,\s\u00a0\u202f])[0-9]{3}(?:(?P=sep)[0-9]{3})*")
_CURRENCY = re.compile(r"\s*(?:đồng|đ|vnđ|vnd)\s*$", re.IGNORECASE)
LARGEST_AMOUNT = 9_223_372_036_854_775_807  # PositiveBigIntegerField's ceiling on every database


def parse_amount(text) -> int:
    """'10.000.000', '10,000,000', '10 000 000', '10000000 đồng' -> 10000000 (đồng, no decimals).

    Dots and commas are both read as thousands separators, in either interface language: amounts in
    đồng have no decimal part. What could be read two ways — '10,5', '1.000,50', '1,000.000', '1.5'
    — is refused, never guessed. Raises ValueError with a message giving an example.
    """
    compact = _CURRENCY.sub("", str(text).strip())
    if re.fullmatch(r"[0-9]+", compact) or _GROUPED.fullmatch(compact):
        amount = int(re.sub(r"[^0-9]", "", compact))
        if amount > LARGEST_AMOUNT:
            raise ValueError(_("This amount is too large."))
        return amount
    raise ValueError(
        _(
            "“%(value)s” is not an amount in whole đồng. Write the digits, with dots, commas or spaces only "
            "between groups of three, for example 10.000.000."
        )
        % {"value": text}
    )


# ---- Models --------------------------------------------------------------------------------------


class TextLineField(models.CharField):
    """A ``CharField`` whose value is normalised (``normalise_line``) and free of control characters."""

    default_validators = [refuse_control_characters]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_line(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": TextLineFormField, **kwargs})


class TextLinesField(models.TextField):
    """A ``TextField`` of several lines, normalised with ``normalise_lines``."""

    default_validators = [refuse_control_characters]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_lines(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": TextLinesFormField, **kwargs})


def phone_digits(text):
    """'+84 905.123.456' -> '0905123456': the national form, or the text unchanged when it is not a phone."""
    compact = re.sub(r"[\s.\-()\u00a0]", "", text or "")
    if re.fullmatch(r"(\+|00)84[0-9]{8,10}", compact):
        compact = "0" + compact[3 if compact.startswith("+") else 4 :]
    return compact if re.fullmatch(r"[0-9]+", compact) else text


# Numbering plan of Vietnam (Circular 22/2014/TT-BTTTT, as amended in 2018): mobile 0[35789] + 8
# digits; fixed lines 02 + 9 digits since the 2017 area-code change; 1800/1900 service numbers.
phone_validator = RegexValidator(
    r"^(0[35789][0-9]{8}|02[0-9]{9}|1[89]00[0-9]{4,6})\Z",
    _(
        "Enter a Vietnamese phone number in digits: a mobile of 10 digits (0905 123 456) or a fixed line of "
        "11 digits (0255 3822 123), optionally starting with +84."
    ),
    code="invalid_phone",
)


class PhoneField(TextLineField):
    """A Vietnamese phone number, stored in its national form of ASCII digits ('0905123456')."""

    default_validators = [refuse_control_characters, phone_validator]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return phone_digits(value) if value else value


# No register holds anything older: a date before it is a typing slip (0001 for 2001, a year left blank).
EARLIEST_DAY = date(1900, 1, 1)
# Workshops are planned and solutions fall due ahead of today, but not beyond this many years.
YEARS_AHEAD = 10


def validate_register_day(day):
    """Validator: a day of the register's life, from ``EARLIEST_DAY`` to ``YEARS_AHEAD`` years after today.

    Raises ValidationError (code ``before_registers`` or ``too_far_ahead``). Whether a date may be in
    the future at all is each form's rule (``cooperatives.forms.refuse_future``).
    """
    if day < EARLIEST_DAY:
        raise ValidationError(
            _("This date is before %(day)s: check the year.") % {"day": EARLIEST_DAY.strftime("%d/%m/%Y")},
            code="before_registers",
        )
    today = timezone.localdate()
    if day.year > today.year + YEARS_AHEAD:
        raise ValidationError(
            _("This date is more than %(years)s years ahead: check the year.") % {"years": YEARS_AHEAD},
            code="too_far_ahead",
        )


class RegisterDateField(models.DateField):
    """A ``DateField`` of the register: dates from 1900 to ten years ahead (``validate_register_day``)."""

    default_validators = [validate_register_day]


class AmountField(models.PositiveBigIntegerField):
    """An amount in whole đồng; its form field reads '10.000.000' and '10,000,000' alike."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AmountFormField, **kwargs})
