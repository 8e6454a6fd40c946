from django.core.management.base import BaseCommand, CommandError

from countries.models import Country
from countries.roles import FOCAL_POINTS, HUB_EDITORS, account_create


class Command(BaseCommand):
    help = (
        "Create accounts for trying the admin: a hub editor and a focal point of Morocco (or of --country). "
        "Passwords are generated and printed once; --reset-passwords makes new ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--country", default="MA", help="Country of the focal point (ISO alpha-2, default MA).")
        parser.add_argument("--reset-passwords", action="store_true", help="Give existing accounts new passwords.")

    def handle(self, *args, country, **options):
        country = country.upper()
        if not Country.objects.filter(pk=country).exists():
            raise CommandError(f"Unknown country {country!r}: load the countries first (make run does).")
        accounts = [
            ("hub-editor", HUB_EDITORS, ()),
            (f"focal-point-{country.lower()}", FOCAL_POINTS, (country,)),
        ]
        for username, role, countries in accounts:
            _user, password = account_create(
                username=username, role=role, countries=countries, reset_password=options["reset_passwords"]
            )
            scope = f"focal point of {', '.join(countries)}" if countries else "hub editor (every country)"
            if password:
                self.stdout.write(f"{username:20} password: {password}   ({scope})")
            else:
                self.stdout.write(f"{username:20} exists; password unchanged (--reset-passwords for a new one)")
        self.stdout.write(self.style.SUCCESS("Log in at http://127.0.0.1:8000/admin/"))
