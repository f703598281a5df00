from django.shortcuts import render


class VietnameseFirstMiddleware:
    """Pages are in Vietnamese unless the user picked English with the language switch.

    Browsers in Vietnamese offices are often set to English; the portal's language follows the
    user's choice (the language cookie), not the browser's Accept-Language header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseNulMiddleware:
    """A query string holding a NUL character answers 400 with a page that says why.

    PostgreSQL cannot compare or store NUL, so a NUL reaching any filter — the admin's list filters
    included — was a 500. Forms refuse it with a message on their field (``coopportal.fields``);
    this covers every query parameter at once. No person types NUL: it comes from a broken paste or
    a forged address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            # The page itself, not the exception: with DEBUG on (make run) Django would show its own
            # English debug page.
            return render(request, "400.html", status=400)
        return self.get_response(request)
