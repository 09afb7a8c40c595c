"""The upload pages say which files are accepted from the same allow-list the check refuses by."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safelane.evidence.uploads import ACCEPTED, accepted_extensions
from tests.factories import evidence


def test_the_upload_page_names_every_accepted_type_and_a_refusal_names_the_same(cast, as_user):
    client = as_user(cast.contributor)
    url = reverse("evidence:create", args=[cast.acme.slug])
    page = client.get(url).content.decode()
    offered = accepted_extensions()
    assert f"Accepted files: {offered}." in page
    assert f'accept="{offered}"' in page  # the browser's file picker offers the same
    for kind in ACCEPTED.values():
        for extension in kind.extensions:
            assert f".{extension}" in offered  # .odt, .ods, .csv and .md included

    refused = client.post(
        url, {"title": "Tool", "file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00")}
    ).content.decode()
    assert f"This kind of file is not accepted. Accepted files: {offered}." in refused


def test_a_new_version_is_offered_the_same_types(cast, as_user):
    item = evidence(cast)
    page = as_user(cast.contributor).get(reverse("evidence:detail", args=[cast.acme.slug, item.pk]))
    assert f'accept="{accepted_extensions()}"' in page.content.decode()
