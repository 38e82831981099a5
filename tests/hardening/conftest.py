import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft_with_evidence(funded, client):
    """A draft return whose provider, signed in on `client`, has attached casework.pdf."""
    draft = funded.start()
    client.force_login(funded.provider_user)
    client.post(
        reverse("grants:indicator_answer", args=[draft.pk, funded.indicators["narrative"].pk]),
        {
            "version": draft.version,
            "narrative": "Casework.",
            "evidence": SimpleUploadedFile("casework.pdf", PDF, content_type="application/pdf"),
            "save_draft": "1",
        },
    )
    draft.refresh_from_db()
    return draft
