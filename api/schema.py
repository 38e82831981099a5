"""How the OpenAPI description names the API's sign-in: a bearer token (`TokenAuthentication`),
the `token` security scheme of `SPECTACULAR_SETTINGS`. Imported where the endpoints are, so that
drf-spectacular finds it before it describes them."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
