"""How the OpenAPI description tells the API's sign-in and its refusals.

`BearerTokenScheme` names `TokenAuthentication` as the bearer token of `SPECTACULAR_SETTINGS`'s
`token` security scheme. `AutoSchema` (`REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`) adds to every
read the answers each endpoint may give besides its data: 401 without a live token, 403 without
the scope, 404 for what the token does not read or a page past the last, and 400 for a filter
value that is not one. Without them a caller's generated client would not expect them, and the
contract test (tests/api/test_openapi_contract.py) rightly fails.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


class ProblemSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Why the call was refused."))


REFUSALS = {
    "401": OpenApiResponse(
        ProblemSerializer, _("No token, or one that is unknown, revoked or expired.")
    ),
    "403": OpenApiResponse(ProblemSerializer, _("The token may not read this.")),
    "404": OpenApiResponse(
        ProblemSerializer, _("Not there, not the token's to read, or a page past the last.")
    ),
}
BAD_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT, _("A filter's value is not one it takes: each filter named, with why.")
)


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response" or self.method != "GET":
            return responses
        refusals = dict(REFUSALS)
        if self._is_list_view() and getattr(self.view, "filterset_class", None):
            refusals["400"] = BAD_FILTER
        for code, answer in refusals.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(answer, code)
        return responses
