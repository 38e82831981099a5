"""The search page: one box for every kind of record the user may see."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from oversight import search
from oversight.forms import SearchForm


@require_GET
def search_page(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "oversight/search.html",
        {
            "form": form,
            "query": query,
            "groups": search.search(request.user, query) if query else [],
            "shown": search.SHOWN,
        },
    )
