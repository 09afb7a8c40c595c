from typing import Any

from django.core.management.base import BaseCommand

from safelane.demo.data import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo organisations and people (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo organisations are ready. Sign in with:"))
        for demo in users:
            roles = ", ".join(f"{role.label} of {slug}" for slug, role in demo.roles.items())
            roles = roles or "installation administrator (catalog imports)"
            self.stdout.write(f"  {demo.email:<32} {roles}")
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
