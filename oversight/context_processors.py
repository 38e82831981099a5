from oversight.navigation import navigation_for


def navigation(request):
    """The links of the header, from what the signed-in user's role may open."""
    return {"nav_links": navigation_for(request.user)}
