"""PDF reports: small ones made in the web request, large ones by the task worker.

Each app registers its reports from its `AppConfig.ready()`: a builder, which takes the user who
asked, the object's id and the query string, checks the user may see the object and returns the
report laid out and its file name; and a count of the rows the report will hold (its actions,
answers or quarters), worked out with a query or two before anything is laid out.

A report of at most `REPORT_WORKER_ROWS` rows is made at once and downloaded. A larger one is
queued for the task worker (`manage.py db_worker`), which writes the PDF to a file in storage;
the browser goes to a page that checks every few seconds and downloads it when it is ready, and
only the person who asked can download it, once. A large report is never made in the request,
since it could outlast the web server's timeout: with no worker configured (the in-process
backend, whose results no later request can read) it is refused with a page saying that it
needs one.
"""

import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
from weasyprint.document import Document

from sla_monitor.models import User
from sla_monitor.pdf import pdf_response, write_pdf

Builder = Callable[[User, int, QueryDict], tuple[Document, str]]
Rows = Callable[[User, int, QueryDict], int]


@dataclass(frozen=True)
class Report:
    build: Builder
    rows: Rows


REPORTS: dict[str, Report] = {}


def register(kind: str, *, build: Builder, rows: Rows) -> None:
    """Make `kind` a report that `deliver` can be asked for."""
    REPORTS[kind] = Report(build=build, rows=rows)


def worker_configured() -> bool:
    """Whether a worker makes the queued reports: a backend whose results a later request reads."""
    return render_report.get_backend().supports_get_result


@task()
def render_report(kind: str, object_id: int, user_id: int, query: str, language: str) -> dict:
    """The report, in `language`: the language of the request that asked for it, since the
    worker has none of its own."""
    with translation.override(language):
        document, filename = REPORTS[kind].build(
            User.objects.get(pk=user_id), object_id, QueryDict(query)
        )
    with tempfile.TemporaryFile() as spool:
        write_pdf(document, spool)
        del document  # the laid-out pages: free them before the file is copied into storage
        spool.seek(0)
        name = f"reports/{uuid.uuid4().hex}.pdf"
        path = default_storage.save(name, File(spool, name=name))
    return {"path": path, "filename": filename}


def deliver(request, kind: str, object_id: int, query: str = "") -> HttpResponse:
    """Ask for the report; the caller has already checked the user may see the object."""
    report = REPORTS[kind]
    rows = report.rows(request.user, object_id, QueryDict(query))
    if rows <= settings.REPORT_WORKER_ROWS:
        document, filename = report.build(request.user, object_id, QueryDict(query))
        return pdf_response(write_pdf(document), filename)
    if not worker_configured():
        return render(
            request,
            "sla_monitor/report_needs_worker.html",
            {"rows": rows, "limit": settings.REPORT_WORKER_ROWS},
            status=503,
        )
    language = translation.get_language() or settings.LANGUAGE_CODE
    result = render_report.enqueue(kind, object_id, request.user.pk, query, language)
    return redirect("report_status", result_id=result.id)


@require_GET  # not HEAD either: answering one would let the report go unsent
def report_status(request, result_id):
    try:
        result = render_report.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError, ValueError):
        return _gone(request)
    if result.args[2] != request.user.pk:
        return _gone(request)
    if "check" in request.GET:
        # The preparing page's script asks, without fetching the report itself.
        return JsonResponse({"finished": result.is_finished})
    if not result.is_finished:
        return render(request, "sla_monitor/report_preparing.html")
    if result.status != TaskResultStatus.SUCCESSFUL:
        # The page itself is an answer to a sound request, so it is not a server error: the
        # failure is logged by the worker, where it happened.
        return render(request, "sla_monitor/report_failed.html")
    path = result.return_value["path"]
    if not default_storage.exists(path):
        return _gone(request)
    return FileResponse(
        _ReadOnce(path),
        as_attachment=True,
        filename=result.return_value["filename"],
        content_type="application/pdf",
    )


def _gone(request) -> HttpResponse:
    """Another person's report, one already downloaded, or an address that never was one: the
    same page, so that nothing says which."""
    return render(request, "sla_monitor/report_gone.html", status=404)


class _ReadOnce:
    """The stored report, streamed to the browser and deleted from storage once sent."""

    def __init__(self, path: str):
        self.path = path
        self.file = default_storage.open(path, "rb")

    def read(self, size: int = -1) -> bytes:
        return self.file.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()

    def close(self) -> None:
        self.file.close()
        default_storage.delete(self.path)
