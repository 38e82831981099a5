from django.shortcuts import render

from sla_monitor import access


def home(request):
    user = request.user
    agreements = access.visible_agreements(user).order_by("reference")
    plans = access.visible_plans(user).order_by("title")
    return render(
        request,
        "sla_monitor/home.html",
        {
            "organisation": user.organisation,
            "agreements": agreements,
            "plans": plans,
            "is_provider": access.is_provider(user),
        },
    )
