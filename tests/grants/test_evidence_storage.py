"""Evidence in a shared object store, as several app servers use it (django-storages, S3 API).

moto stands in for the S3-compatible service in-process: the network is the only part not real.
"""

import boto3
import pytest
from django.urls import reverse
from moto import mock_aws

from tests.grants.test_return_views import PDF, attach_pdf

BUCKET = "council-evidence"


@pytest.fixture
def bucket(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-2")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "eu-west-2",
                    "default_acl": "private",
                    "file_overwrite": False,
                },
            },
        }
        yield s3


def test_evidence_goes_to_the_private_bucket_and_comes_back_through_the_checked_view(
    funded, client, bucket
):
    qr = funded.start()
    attach_pdf(client, funded, qr)
    evidence = qr.evidence_files.get()
    download = reverse("grants:evidence_download", args=[qr.pk, evidence.pk])

    (stored,) = bucket.list_objects_v2(Bucket=BUCKET)["Contents"]
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=stored["Key"])["Grants"]
    response = client.get(download)
    client.force_login(funded.other_provider_user)
    refused = client.get(download)

    assert stored["Key"] == evidence.file.name
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner's alone
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="casework.pdf"'
    assert refused.status_code == 404
