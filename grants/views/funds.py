"""A council's funds, and the awards each has made."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from grants import permissions, selectors


@require_GET
def fund_list(request):
    if not permissions.oversees_grants(request.user):
        raise PermissionDenied
    funds = selectors.funds_with_totals(request.user).order_by("-start_date", "name")
    return render(request, "grants/fund_list.html", {"funds": funds})


@require_GET
def fund_detail(request, pk):
    if not permissions.oversees_grants(request.user):
        raise PermissionDenied
    fund = get_object_or_404(selectors.funds_with_totals(request.user), pk=pk)
    agreements = selectors.fund_awards(fund)
    return render(
        request,
        "grants/fund_detail.html",
        {
            "fund": fund,
            "agreements": agreements,
            "themes": fund.themes.all(),
            "questions": fund.questions.in_force(),
            "sets_questions": permissions.can_set_fund_questions(request.user, fund),
        },
    )
