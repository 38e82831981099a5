"""The API's answer for an address under it that is none of its endpoints: JSON, as every other
answer of the API is, not the site's HTML page."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext as _


@login_not_required
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": _("There is no such address in the API.")}, status=404)
