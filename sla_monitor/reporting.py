"""PDF reports go through Django's task framework, so that a worker can take a large one off the
web request. With no worker configured (the default, in-process backend) the report is made as
soon as it is asked for and downloaded at once; with a queue, the browser is sent to a page that
refreshes until the worker has made it. Only the person who asked can download it.

The apps register their report builders from their `AppConfig.ready()`: a builder takes the user
who asked, the object's id and the query string, checks the user may see the object, and returns
the PDF and its file name.
"""

import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from sla_monitor.models import User
from sla_monitor.pdf import pdf_response

Builder = Callable[[User, int, QueryDict], tuple[bytes, str]]
BUILDERS: dict[str, Builder] = {}


def register(kind: str, builder: Builder) -> None:
    """Make `kind` a report that `deliver` can be asked for."""
    BUILDERS[kind] = builder


@task()
def render_report(kind: str, object_id: int, user_id: int, query: str) -> dict:
    builder = BUILDERS[kind]
    pdf, filename = builder(User.objects.get(pk=user_id), object_id, QueryDict(query))
    path = default_storage.save(f"reports/{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    return {"path": path, "filename": filename}


def deliver(request, kind: str, object_id: int, query: str = "") -> HttpResponse:
    """Ask for the report; the caller has already checked the user may see the object."""
    result = render_report.enqueue(kind, object_id, request.user.pk, query)
    if result.is_finished:
        return _finished(request, result)
    return redirect("report_status", result_id=result.id)


def report_status(request, result_id):
    try:
        result = render_report.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError, ValueError) as error:
        raise Http404("No such report.") from error
    if result.args[2] != request.user.pk:
        raise Http404("No such report.")
    if result.is_finished:
        return _finished(request, result)
    return render(request, "sla_monitor/report_preparing.html", {"result": result})


def _finished(request, result) -> HttpResponse:
    if result.status != TaskResultStatus.SUCCESSFUL:
        return render(request, "sla_monitor/report_failed.html", status=500)
    value = result.return_value
    if not default_storage.exists(value["path"]):
        raise Http404("This report has already been downloaded.")
    with default_storage.open(value["path"], "rb") as stored:
        pdf = stored.read()
    default_storage.delete(value["path"])
    return pdf_response(pdf, value["filename"])
