"""The cast every test uses, as in a real consultancy:

- Acme Imports (org A): Olivia owner, Manuel manager, Carla contributor, Victor viewer (auditor),
  Consuelo the consultant (manager).
- Norte (org B): Consuelo owner, Oscar owner of nothing else: the outsider to Acme.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from safelane.accounts.models import User
from safelane.orgs import services
from safelane.orgs.models import Organisation, Role

PASSWORD = "correct horse battery staple"


def make_user(email: str, name: str = "") -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@dataclass
class Cast:
    acme: Organisation
    norte: Organisation
    owner: User
    manager: User
    contributor: User
    viewer: User
    consultant: User
    outsider: User

    def member_of_acme(self, role: Role) -> User:
        return {
            Role.OWNER: self.owner,
            Role.MANAGER: self.manager,
            Role.CONTRIBUTOR: self.contributor,
            Role.VIEWER: self.viewer,
        }[role]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _english():
    """A request in Spanish leaves Spanish active in its thread; every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Throttles count in the cache, a table of the test database; each test starts with none."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        {"django_db_setup", "live_server"} & set(request.fixturenames)
    )
    if not uses_database:
        # Without the database a test cannot reach the cache either.
        yield
        return
    from django.core.cache import cache

    # Cleared outside the test's own transaction, before it opens and after it is rolled back.
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        cache.clear()
    yield
    with blocker.unblock():
        cache.clear()


@pytest.fixture
def cast(db) -> Cast:
    owner = make_user("olivia@acme.test", "Olivia Owner")
    manager = make_user("manuel@acme.test", "Manuel Manager")
    contributor = make_user("carla@acme.test", "Carla Contributor")
    viewer = make_user("victor@audit.test", "Victor Viewer")
    consultant = make_user("consuelo@consult.test", "Consuelo Consultant")
    outsider = make_user("oscar@norte.test", "Oscar Outsider")
    acme = services.create_organisation(actor=owner, name="Acme Imports", country="US")
    norte = services.create_organisation(actor=outsider, name="Norte", country="MX", currency="MXN")
    for user, role in [
        (manager, Role.MANAGER),
        (contributor, Role.CONTRIBUTOR),
        (viewer, Role.VIEWER),
        (consultant, Role.MANAGER),
    ]:
        services.add_member(org=acme, actor=owner, user=user, role=role)
    services.add_member(org=norte, actor=outsider, user=consultant, role=Role.OWNER)
    return Cast(acme, norte, owner, manager, contributor, viewer, consultant, outsider)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return client_for


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what a service schedules for after its commit (e-mails, tasks)."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
