"""The project's URLs, with a stand-in for an assessment's page wherever the project has none yet:
the pages joined to assessments link to `equality_plans:assessment_detail`. Tests use it as
`settings.ROOT_URLCONF`."""

from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from equality_plans import urls as plan_urls
from sla_monitor import urls as project_urls


def _assessment(request, pk):
    return HttpResponse(f"Assessment {pk}")


try:
    reverse("equality_plans:assessment_detail", args=[1], urlconf=project_urls)
    urlpatterns = project_urls.urlpatterns
except NoReverseMatch:
    # The first include of a namespace is the one reversed: the plans' URLs, and the stand-in.
    urlpatterns = [
        path(
            "",
            include(
                (
                    [
                        *plan_urls.urlpatterns,
                        path("assessments/<int:pk>/", _assessment, name="assessment_detail"),
                    ],
                    plan_urls.app_name,
                )
            ),
        ),
        *project_urls.urlpatterns,
    ]
