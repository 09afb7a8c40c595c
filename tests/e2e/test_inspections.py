"""The field inspection journey on a 390 px phone: a guard opens Field inspections, does the
17-point tractor and trailer inspection with two photos and one failed point (refused first
without her signature, with the reason, and nothing lost), and the failed point raises an
action the supervisor finds on the inspection's page. Offline, a seal check with two photos
waits on the phone, is listed as waiting, and arrives once when the connection returns."""

import io
import os

import pytest
from PIL import Image

from safelane.demo.data import load_demo
from safelane.inspections.models import Inspection, Photo
from tests.e2e.test_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("INSPECTION_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def photo(tmp_path, name):
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 120, 160)).save(out, "JPEG")
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def prepare():
    """The demo: Acme's starter checklists and the Laredo yard, supervised by Manuel."""
    load_demo()


def start(page, checklist):
    """The guard signs in, opens the inspections and starts one with `checklist`."""
    prepare()
    sign_in(page, "carla@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.goto("/o/acme-imports/inspections/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    shot(page, "list-390")
    page.click(f"text={checklist}")
    page.wait_for_url("**/inspections/new/?checklist=*")
    return page


def test_a_guard_does_a_17_point_inspection_on_a_phone_and_a_failed_point_raises_an_action(
    phone, tmp_path
):
    page = start(phone, "17-point tractor and trailer inspection")
    page.select_option("select[name=site]", label="Laredo yard")
    page.fill("input[name=tractor]", "T-104")
    page.fill("input[name=trailer]", "53-8812")
    page.fill("input[name=seals]", "ACME0012345")
    page.fill("input[name=driver]", "Luis Pérez")
    points = page.locator("fieldset.inspection-point")
    assert points.count() == 17
    for i in range(17):
        points.nth(i).locator("input[value=pass]").check()
    cab = page.locator("fieldset.inspection-point", has_text="Interior cab and sleeper")
    cab.locator("input[value=fail]").check()
    cab.locator("textarea").fill("Loose panel behind the bunk.")
    doors = page.locator("fieldset.inspection-point", has_text="Inside and outside doors and locks")
    doors.locator("input[type=file]").set_input_files(
        [photo(tmp_path, "doors.jpg"), photo(tmp_path, "hinges.jpg")]
    )
    shot(page, "form-390")
    page.fill("input[name=signed_name]", "Carla Nguyen")
    page.click("text=Sign and send")
    # Not ticked: refused with the reason, her answers kept.
    assert "Sign the inspection" in page.locator("main").inner_text()
    assert page.locator("textarea:has-text('Loose panel behind the bunk.')").count() == 1
    page.locator(
        "fieldset.inspection-point", has_text="Inside and outside doors and locks"
    ).locator("input[type=file]").set_input_files(
        [photo(tmp_path, "doors.jpg"), photo(tmp_path, "hinges.jpg")]
    )
    page.check("input[name=attested]")
    page.click("text=Sign and send")
    page.wait_for_url("**/inspections/*/")
    body = page.locator("main").inner_text()
    assert "The inspection is recorded." in body
    assert "1 point failed" in body
    assert "Inspection exception" in body
    assert page.locator("#points a:has-text('Photo')").count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(page, "inspection-390")


def test_offline_an_inspection_waits_on_the_phone_and_arrives_once_when_back_online(
    phone, tmp_path
):
    page = start(phone, "Seal check (VVTT)")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")

    page.context.set_offline(True)
    page.reload()  # the service worker answers from its copy
    page.select_option("select[name=site]", label="Laredo yard")
    page.fill("input[name=trailer]", "53-8812")
    page.fill("input[name=seals]", "ACME0012345")
    points = page.locator("fieldset.inspection-point")
    for i in range(points.count()):
        points.nth(i).locator("input[value=pass]").check()
    verify = page.locator("fieldset.inspection-point", has_text="Verify the number")
    verify.locator("input[value=fail]").check()
    verify.locator("textarea").fill("The seal reads ACME0012346; the bill of lading ACME0012345.")
    view = page.locator("fieldset.inspection-point", has_text="View the seal")
    view.locator("input[type=file]").set_input_files(
        [photo(tmp_path, "seal.jpg"), photo(tmp_path, "bolt.jpg")]
    )
    page.fill("input[name=signed_name]", "Carla Nguyen")
    page.check("input[name=attested]")
    page.click("text=Sign and send")
    page.wait_for_selector("#offline-saved:not([hidden])")
    page.wait_for_selector("#outbox:not([hidden])")
    assert "Seal check (VVTT)" in page.locator("#outbox").inner_text()
    assert "waiting for a connection" in page.locator("#outbox").inner_text()
    shot(page, "offline-waiting-390")
    seal_checks = Inspection.objects.filter(checklist__key="seal-check")
    assert not seal_checks.exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox[hidden]", state="attached")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second flush sends nothing
    page.wait_for_timeout(500)
    inspection = seal_checks.get()
    assert inspection.failed == 1
    assert inspection.device_time is not None
    assert Photo.objects.filter(result__inspection=inspection).count() == 2
    page.goto(f"/o/acme-imports/inspections/{inspection.pk}/")
    assert "Inspection exception" in page.locator("main").inner_text()
    shot(page, "offline-arrived-390")


def test_a_supervisor_reads_and_signs_off_the_demo_inspection_at_1280(page):
    prepare()
    sign_in(page, "manuel@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.click("nav.sidebar >> text=Field inspections")
    page.wait_for_url("**/inspections/")
    shot(page, "list-1280")
    page.click("#filters select[name=result]")
    page.select_option("#filters select[name=result]", "failed")
    page.click("#filters button[type=submit]")
    page.click("table >> text=/\\d/ >> nth=0")
    page.wait_for_url("**/inspections/*/")
    assert "Fresh welds on the left fuel tank" in page.locator("#points").inner_text()
    page.click("text=Sign off as supervisor")
    assert "Signed off by manuel@acme.example" in page.locator("#record").inner_text()
    shot(page, "inspection-1280")
    page.goto("/o/acme-imports/inspections/checklists/")
    shot(page, "checklists-1280")
