import io
import re

from pypdf import PdfReader


def read_pdf(content: bytes) -> tuple[PdfReader, str]:
    """The PDF and its text, with white space folded so phrases can be looked for."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


def response_pdf(response) -> tuple[PdfReader, str]:
    """A PDF downloaded at once or, once a worker has made it, streamed from storage."""
    assert response.status_code == 200, response.getvalue()[:300]
    assert response["Content-Type"] == "application/pdf"
    return read_pdf(response.getvalue())
