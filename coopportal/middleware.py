from django.shortcuts import render
from django.utils.cache import patch_cache_control


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


# Features the portal never uses: a page, or a script injected into one, may not ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """Every response denies the browser features listed in ``PERMISSIONS_POLICY``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NoStoreWhenSignedInMiddleware:
    """Nothing answered to a signed-in user is kept by the browser or a cache on the way.

    Union offices share computers: a page or a download with personal data must not be shown again
    from the browser's cache (the Back button, a saved copy) to the next person at the desk. The rule
    is the simplest that is surely complete: every response to a signed-in user carries
    ``Cache-Control: no-store``. Static files never reach here (WhiteNoise answers them first), so
    they are still cached. Placed above the authentication middleware, it also sees the response
    after logging out, which is no longer for a signed-in user and holds nothing personal.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
