"""An owner exports the organisation from its settings page and downloads the archive."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from safelane.transfer import archive
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOTS_DIR")


def shoot(page, name):
    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(400)  # the sidebar settles after a resize
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})


def test_an_owner_exports_the_organisation_and_downloads_it(page, cast):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", cast.owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.goto(f"/o/{cast.acme.slug}/settings/")
    page.click("main >> text=Export…")
    page.wait_for_url(f"**/o/{cast.acme.slug}/archive/")
    assert "No archive made in the last 24 hours." in page.content()
    shoot(page, "transfer-empty")
    page.click("main button:has-text('Export the organisation')")
    page.wait_for_url("**/jobs/*/")
    page.click("main >> text=Download the archive")
    page.wait_for_url(f"**/o/{cast.acme.slug}/archive/")
    shoot(page, "transfer-ready")
    with page.expect_download() as download:
        page.click("main a:has-text('Download')")
    content = Path(download.value.path()).read_bytes()
    reader = archive.Reader(io.BytesIO(content))
    reader.verify()
    assert reader.manifest["organisation"]["slug"] == cast.acme.slug
