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
