"""The one place that turns a template into a PDF; nothing else imports WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name, context, request=None) -> bytes:
    """Render ``template_name`` (an HTML document made for print) to PDF bytes, fonts embedded."""
    from weasyprint import HTML  # noqa: PLC0415 - a heavy import, needed only when a PDF is asked for

    html = render_to_string(template_name, context, request=request)
    # Static files (the stylesheet, the fonts) are read from the project's folders, not over HTTP.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
