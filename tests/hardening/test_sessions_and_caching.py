"""Signed-in responses are never kept by browsers or proxies; idle sessions end; evidence has a
limit."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sla_monitor.middleware import LAST_SEEN
from tests.hardening.conftest import PDF

pytestmark = pytest.mark.django_db


def test_signed_in_pages_downloads_and_exports_are_not_stored(draft_with_evidence, client):
    draft = draft_with_evidence
    evidence = draft.evidence_files.get()
    urls = [
        reverse("oversight:home"),
        reverse("grants:return_detail", args=[draft.pk]),
        reverse("grants:return_pdf", args=[draft.pk]),
        reverse("grants:indicator_results_export", args=["csv"]),
        reverse("grants:evidence_download", args=[draft.pk, evidence.pk]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_public_open_data_may_be_kept(client):
    response = client.get(reverse("grants:open_data"))

    assert "no-store" not in response.get("Cache-Control", "")


def _idle(client, minutes: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - minutes * 60
    session.save()


def test_a_council_officer_idle_for_over_30_minutes_signs_in_again(funded, client):
    client.force_login(funded.officer)
    client.get(reverse("oversight:home"))
    _idle(client, 31)

    response = client.get(reverse("grants:review_queue"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_provider_stays_signed_in_for_longer_but_not_for_ever(funded, client):
    client.force_login(funded.provider_user)
    client.get(reverse("oversight:home"))
    _idle(client, 60)
    still = client.get(reverse("grants:provider_dashboard"))
    _idle(client, 121)
    gone = client.get(reverse("grants:provider_dashboard"))

    assert still.status_code == 200
    assert gone.status_code == 302 and gone.url.startswith(reverse("account_login"))


def test_activity_keeps_a_session_going(funded, client):
    client.force_login(funded.officer)
    client.get(reverse("oversight:home"))
    _idle(client, 29)
    client.get(reverse("oversight:home"))
    _idle(client, 29)

    assert client.get(reverse("grants:review_queue")).status_code == 200


def test_an_answer_takes_up_to_the_limit_of_evidence_files(funded, client, settings):
    settings.MAX_EVIDENCE_PER_ANSWER = 2
    draft = funded.start()
    indicator = funded.indicators["narrative"]
    client.force_login(funded.provider_user)
    url = reverse("grants:indicator_answer", args=[draft.pk, indicator.pk])

    responses = []
    for n in range(3):
        draft.refresh_from_db()
        responses.append(
            client.post(
                url,
                {
                    "version": draft.version,
                    "narrative": "Casework.",
                    "evidence": SimpleUploadedFile(f"file{n}.pdf", PDF),
                    "save_draft": "1",
                },
            )
        )

    assert [r.status_code for r in responses] == [302, 302, 200]
    html = responses[2].content.decode()
    assert "An answer can have up to 2 evidence files" in html
    assert 'href="#id_evidence"' in html
    assert draft.evidence_files.count() == 2
