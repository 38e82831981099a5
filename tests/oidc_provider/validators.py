from django.contrib.auth.models import Group
from oauth2_provider.oauth2_validators import OAuth2Validator

# The council's directory has not confirmed the e-mail address of its members.
UNVERIFIED = "unverified e-mail"


class CouncilValidator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": not Group.objects.filter(name=UNVERIFIED, user=user).exists(),
            "name": user.get_full_name(),
        }
