"""Checking evidence files by their content, not only their name."""

import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# What the content says the file is -> (its MIME type, the file name endings that may carry it)
ACCEPTED = {
    "pdf": ("application/pdf", {".pdf"}),
    "png": ("image/png", {".png"}),
    "jpg": ("image/jpeg", {".jpg", ".jpeg"}),
    "gif": ("image/gif", {".gif"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "doc": ("application/msword", {".doc"}),
    "xls": ("application/vnd.ms-excel", {".xls"}),
}
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
ACCEPTED_DESCRIPTION = "a PDF, Word document, Excel spreadsheet or image (PNG, JPEG or GIF)"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def check_evidence_file(upload: UploadedFile) -> CheckedFile:
    """Accept PDF, Word, Excel and images of at most 10 MB whose content matches their name."""
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            gettext("“%(name)s” is larger than 10 MB. Choose a smaller file.") % {"name": name}
        )
    if upload.size == 0:
        raise ValidationError(
            gettext("“%(name)s” is empty. Choose a file with content.") % {"name": name}
        )
    kind = _kind_from_content(upload)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind is None or suffix not in ACCEPTED[kind][1]:
        raise ValidationError(
            gettext("“%(name)s” must be %(accepted)s.")
            % {"name": name, "accepted": ACCEPTED_DESCRIPTION}
        )
    return CheckedFile(name=name, content_type=ACCEPTED[kind][0], size=upload.size)


def _kind_from_content(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(OLE_SIGNATURE):
        # Legacy Word and Excel share one container; the name tells which it claims to be.
        return "xls" if upload.name.lower().endswith(".xls") else "doc"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    guess = filetype.guess(head)
    if guess is None:
        return None
    return {"pdf": "pdf", "png": "png", "jpg": "jpg", "gif": "gif"}.get(guess.extension)


def _office_kind(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None
