from sla_monitor import access


def navigation(request):
    """The links of the header, from what the signed-in user's role may open."""
    return {"nav_links": access.navigation_for(request.user)}
