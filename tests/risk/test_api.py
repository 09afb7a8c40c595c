"""The risk assessments API: read only, the map and every risk scored."""

from tests.risk.builders import scored


def test_the_api_reads_an_assessment_with_its_map_and_scored_risks(cast, client):
    from safelane.accounts.tokens import create_token

    a, nodes = scored(cast)
    _, raw = create_token(user=cast.viewer, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    base = f"/api/v1/orgs/{cast.acme.slug}/risk-assessments/"
    listing = client.get(base).json()["results"]
    assert [x["title"] for x in listing] == ["Risk 2025"]
    detail = client.get(f"{base}{a.pk}/").json()
    assert {p["name"] for p in detail["points"]} >= {"Monterrey plant", "Joliet DC"}
    assert len(detail["legs"]) == 3
    top = detail["risks"][0]
    assert (top["point"], top["score"], top["band"]) == (nodes["mx"].pk, 6, "high")
    assert {"country": "MX", "threat": "contraband", "level": 3}.items() <= next(
        t for t in detail["threats"] if t["threat"] == "contraband"
    ).items()
    stranger = client.get(f"/api/v1/orgs/{cast.norte.slug}/risk-assessments/")
    assert stranger.status_code == 404
    assert client.post(base, {}, content_type="application/json").status_code == 403
