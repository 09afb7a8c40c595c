"""What the risk page tells the person who uses it: each step's outcome where they are, a refused
grid as they typed it with the refused cells marked, the MSC categories by name, and a read-only
page for viewers."""

import re

from django.urls import reverse

from safelane.risk import services
from safelane.risk.models import Level, Vulnerability
from tests.risk.builders import mapped, scored


def url(cast, name, obj):
    return reverse(f"risk:{name}", args=[cast.acme.slug, obj.pk])


def rating(cast, node, category):
    return Vulnerability.objects.for_org(cast.acme).get(node=node, category=category)


def grid(v, level, reason="", version=None):
    return {
        f"v:{v.pk}": str(level),
        f"r:{v.pk}": reason,
        f"vv:{v.pk}": str(v.version if version is None else version),
    }


def cell(html, v):
    """The HTML of one rating's cell of the vulnerability grid."""
    found = re.search(rf'<td[^>]*>(?:(?!</td>).)*name="v:{v.pk}"(?:(?!</td>).)*</td>', html, re.S)
    assert found, f"no cell for rating {v.pk}"
    return found.group(0)


def selected(html, v):
    found = re.search(r'<option value="(\d)" selected>', cell(html, v))
    return int(found.group(1)) if found else None


def test_adding_a_point_and_a_leg_say_so(cast, as_user):
    a, nodes = mapped(cast)
    client = as_user(cast.contributor)
    point = client.post(
        url(cast, "point_add", a),
        {"name": "Laredo yard", "kind": "warehouse", "country": "US"},
        follow=True,
    )
    assert "Point added: Laredo yard." in point.content.decode()
    leg = client.post(
        url(cast, "leg_add", a),
        {
            "flow": "Mexico to Chicago",
            "origin": nodes["mx"].pk,
            "destination": nodes["la"].pk,
            "mode": "truck",
        },
        follow=True,
    )
    assert "Leg added: Monterrey plant → Port of Los Angeles (Truck)." in leg.content.decode()


def test_each_step_posts_in_place_and_without_javascript_lands_at_its_section(cast, as_user):
    a, _nodes = scored(cast)
    html = as_user(cast.contributor).get(url(cast, "detail", a)).content.decode()
    for name, section in (
        ("point_add", "map"),
        ("leg_add", "map"),
        ("threats", "threats"),
        ("vulnerabilities", "vulnerabilities"),
        ("finalise", "report"),
    ):
        address = url(cast, name, a)
        assert (
            f'action="{address}#{section}" hx-post="{address}#{section}" hx-target="#main"' in html
        )


def test_a_refused_point_is_shown_at_the_map_with_what_was_wrong(cast, as_user):
    a, _nodes = mapped(cast)
    page = as_user(cast.contributor).post(url(cast, "point_add", a), {"name": ""})
    assert page.status_code == 400
    html = page.content.decode()
    assert re.search(r"<details open><summary>Add a point</summary>", html)
    assert "This field is required." in html


def test_a_vulnerability_change_without_a_reason_keeps_every_edit_and_marks_its_cell(cast, as_user):
    a, nodes = scored(cast)
    seals = rating(cast, nodes["mx"], 6)
    cyber = rating(cast, nodes["mx"], 4)
    sent = {**grid(seals, Level.HIGH), **grid(cyber, Level.LOW, "Audited in May")}
    page = as_user(cast.contributor).post(url(cast, "vulnerabilities", a), sent)
    assert page.status_code == 400
    html = page.content.decode()
    assert selected(html, seals) == Level.HIGH
    assert selected(html, cyber) == Level.LOW
    assert 'value="Audited in May"' in cell(html, cyber)
    assert 'class="refused"' in cell(html, seals)
    assert 'aria-invalid="true"' in cell(html, seals)
    assert "refused" not in cell(html, cyber)
    section = html[html.index('id="vulnerabilities"') : html.index('id="risks"')]
    assert (
        "Monterrey plant, 6. Seal Security: give the reason for changing the suggested level."
        in section
    )
    # Nothing was saved, the change with its reason neither.
    assert rating(cast, nodes["mx"], 4).level == cyber.level


def test_a_stale_vulnerability_grid_shows_their_rating_where_they_changed_it(cast, as_user):
    a, nodes = scored(cast)
    seals = rating(cast, nodes["mx"], 6)
    cyber = rating(cast, nodes["mx"], 4)
    seen = seals.version
    services.save_vulnerabilities(
        org=cast.acme,
        actor=cast.manager,
        assessment=a,
        changes={seals.pk: (Level.HIGH, "No seal log at the plant", seen)},
    )
    sent = {**grid(seals, Level.LOW, "New seals", seen), **grid(cyber, Level.LOW, "Audited")}
    page = as_user(cast.contributor).post(url(cast, "vulnerabilities", a), sent)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Someone else changed these ratings" in html
    assert "Monterrey plant, 6. Seal Security" in html
    assert selected(html, seals) == Level.HIGH
    assert 'value="No seal log at the plant"' in cell(html, seals)
    assert 'class="refused"' in cell(html, seals)
    assert selected(html, cyber) == Level.LOW
    assert 'value="Audited"' in cell(html, cyber)


def test_the_grid_names_the_msc_categories(cast, as_user):
    a, _nodes = scored(cast)
    html = as_user(cast.viewer).get(url(cast, "detail", a)).content.decode()
    assert re.search(
        r'<abbr title="4\. Cybersecurity">4<span[^>]*>\.</span> <span class="short">'
        r"Cyber</span></abbr>",
        html,
    )
    assert '<abbr title="6. Seal Security">' in html


def test_a_viewer_reads_the_risk_page_without_anything_to_change(cast, as_user):
    a, nodes = scored(cast)
    html = as_user(cast.viewer).get(url(cast, "detail", a)).content.decode()
    main = html[html.index('<main id="main">') : html.index("</main>")]
    assert not re.search(r"<(select|textarea)(?![^>]*disabled)[^>]*>", main)
    assert not re.search(r'<input type="text"(?![^>]*disabled)', main)
    assert "State Dept. advisory, 2025-10" in main  # the sources as text
    assert re.search(r'<textarea name="participants"[^>]*disabled', main)
    contraband = main[main.index("<strong>Mexico</strong>") :]
    assert "High" in contraband
    # A contributor has the grids to edit.
    editable = as_user(cast.contributor).get(url(cast, "detail", a)).content.decode()
    assert f'name="v:{rating(cast, nodes["mx"], 6).pk}"' in editable
    assert 'name="t:MX:contraband"' in editable
