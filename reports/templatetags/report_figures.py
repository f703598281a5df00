from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value):
    """A report cell: a count with the language's grouping, a share as a percentage, "–" for none."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{number_format(value, decimal_pos=1)} %"
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return value
