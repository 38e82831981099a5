"""One way to make a PDF: a template extending print/base.html, rendered to HTML, then to a
tagged PDF/UA document by WeasyPrint with the print stylesheet. Nothing is fetched from the
network: the only resources a report may load are the project's own files. A report is written
in the language active while it is laid out, and says so."""

from typing import BinaryIO

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

PRINT_STYLESHEET = "css/print.css"
PDF_VARIANT = "pdf/ua-1"


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    return write_pdf(laid_out(template_name, context, request=request))


def laid_out(template_name: str, context: dict, *, request=None) -> Document:
    """The report laid out in pages, before it is written as a PDF: its boxes say where
    everything falls."""
    html = render_to_string(template_name, context, request=request)
    stylesheet = CSS(filename=finders.find(PRINT_STYLESHEET))
    document = HTML(
        string=html,
        base_url=str(finders.find(PRINT_STYLESHEET)),
        url_fetcher=URLFetcher(allowed_protocols={"file", "data"}),
    )
    return document.render(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)


def write_pdf(document: Document, target: BinaryIO | None = None) -> bytes | None:
    """The laid-out document as a PDF: its bytes, or written into `target` (a file) so that a
    large report is not held in memory a second time."""
    return document.write_pdf(target, pdf_variant=PDF_VARIANT)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
