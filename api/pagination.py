from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """50 rows a page unless the caller asks for up to 200 (`page_size`); a page past the last
    is a 404 that says so."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
