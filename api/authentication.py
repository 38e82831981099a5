from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from sla_monitor import api_tokens


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`: the request reads as the token's maker, and
    `request.auth` is the token."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token after “Bearer ”, with no space in it.")
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not known.")) from None
        try:
            token = api_tokens.authenticate(secret)
        except api_tokens.Refused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return token.created_by, token

    def authenticate_header(self, request):
        return self.keyword
