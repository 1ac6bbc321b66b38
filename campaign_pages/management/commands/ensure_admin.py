"""``manage.py ensure_admin``: make sure an administrator account exists (used by ``make run``).

Name and password come from ``ADMIN_USERNAME`` / ``ADMIN_PASSWORD``; without a password a
random one is generated and printed once. An existing account keeps its password unless
``ADMIN_PASSWORD`` is given.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Creates the administrator account if it is missing and prints how to sign in."

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None and not password:
            self.stdout.write(
                f"Admin account '{username}' exists; its password is unchanged "
                "(set ADMIN_PASSWORD to reset it)."
            )
            return
        password = password or secrets.token_urlsafe(12)
        if user is None:
            user = User(username=username, is_staff=True, is_superuser=True)
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(f"Admin account: {username} / {password}  (sign in at /admin/)")
        )
