from django.core.paginator import Paginator


def paginate(request, items, per_page: int) -> dict:
    """The page of `items` the request asks for, and the query string its page links keep."""
    page_obj = Paginator(items, per_page).get_page(request.GET.get("page"))
    return paging_links(request, page_obj)


def paging_links(request, page_obj) -> dict:
    """What `components/pagination.html` needs for a page already read: the page, and the query
    string (the list's filters) its links keep."""
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return {"page_obj": page_obj, "page_query": f"{encoded}&" if encoded else ""}
