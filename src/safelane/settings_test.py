"""Test settings: the real settings with fast hashing, inline tasks and an in-memory mailbox."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-and-entropy-000")
os.environ.setdefault("TASKS_BACKEND", "immediate")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SITE_URL", "http://testserver")

from safelane.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Static files come straight from the apps (no collectstatic), also for the browser tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# API throttles off: tests/test_api_fuzz.py loads the schema anonymously while it is imported,
# before any test may use the database, where throttles count (both throttles count anonymous
# callers). tests/test_security.py sets the rates it tests.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
}
