"""django-redis-sessions (Debian's python3-django-redis-sessions) through Porter, in a minimal
Django project: a view that counts visits in request.session, called through Django's test
client with the session cookie, the session store's own save/load/delete, and the same
session read after Porter restarts. Usage: django_sessions_check.py PORT SYNC_DIR.
Prints OK or raises."""
import sys

from porter_restart import after_restart, restart_porter

port, sync_dir = int(sys.argv[1]), sys.argv[2]

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="porter-test",
    ALLOWED_HOSTS=["testserver"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.sessions"],
    MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware"],
    SESSION_ENGINE="redis_sessions.session",
    SESSION_REDIS={"host": "127.0.0.1", "port": port, "db": 0, "prefix": "session", "socket_timeout": 2},
)
django.setup()

from django.http import HttpResponse
from django.test import Client
from django.urls import path
import redis
import redis_sessions
from redis_sessions.session import SessionStore


def visit(request):
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse(str(request.session["visits"]))


urlpatterns = [path("visit", visit)]

# A browser's visits: the first creates the session and sets the cookie, the next read it.
browser = Client()
for n in (1, 2, 3):
    response = browser.get("/visit")
    assert response.status_code == 200 and response.content == str(n).encode(), response.content
key = browser.cookies[settings.SESSION_COOKIE_NAME].value
direct = redis.Redis(host="127.0.0.1", port=port)
assert direct.exists(f"session:{key}") == 1
assert 0 < direct.ttl(f"session:{key}") <= settings.SESSION_COOKIE_AGE

# The store itself: save, load, exists, delete.
store = SessionStore()
store["user"] = "alice"
store["blob"] = "\x00\r\n\xff"
store.save()
again = SessionStore(session_key=store.session_key)
assert again["user"] == "alice" and again["blob"] == "\x00\r\n\xff", dict(again)
assert again.exists(store.session_key)
again.delete()
assert not SessionStore().exists(store.session_key)

# Porter restarts: the next visit keeps the session (redis-py's pool dials again).
restart_porter(sync_dir)
response, errors = after_restart(lambda: browser.get("/visit"), redis.ConnectionError)
assert response.content == b"4", response.content
print(f"OK django {django.get_version()} django-redis-sessions {redis_sessions.__version__} "
      f"redis-py {redis.__version__} (errors after the restart: {errors})")
