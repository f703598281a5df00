from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The main sections, in the order the navigation shows them; people's register is not for officials.
SECTIONS = [
    ("cooperatives", "cooperatives:list", _("Cooperatives"), False),
    ("members", "members:list", _("Members"), True),
    ("workshops", "workshops:list", _("Workshops"), False),
    ("reports", "reports:dashboard", _("Reports"), False),
]


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.resolver_match.namespace if request.resolver_match else ""
    return {
        "portal_navigation": [
            {"url": reverse(url_name), "label": label, "active": namespace == current}
            for namespace, url_name, label, people_only in SECTIONS
            if user.may_see_people or not people_only
        ]
    }
