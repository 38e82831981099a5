from functools import cache

from oversight.navigation import navigation_for
from sla_monitor import inbox


def navigation(request):
    """The links of the header, from what the signed-in user's role may open."""
    return {"nav_links": navigation_for(request.user)}


def inbox_count(request):
    """How many of the signed-in person's notifications are unread, for the header's Inbox link:
    counted once, when a page's header shows it, never for a page or download that does not."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread() -> int:
        return inbox.unread_count(user)

    return {"inbox_unread": unread}
