"""Sessions in the browser: the refresh token travels in a cookie the page's scripts cannot read.

- `pk_refresh`: the refresh token; HttpOnly, Secure, SameSite=Strict, and sent only to the
  refresh and sign-out calls (Path=/api/auth): a script injected into the page cannot take it, and
  no other site's page can make the browser send it.
- `pk_csrf`: a random value the page's own script reads and sends back in `X-CSRF-Token` with the
  refresh and sign-out calls (double submit). A cross-site form cannot read it, so even a browser
  that ignored SameSite would not let another site refresh or end the session. Its presence also
  tells the page that a session may be waiting to be refreshed.

The access token stays in the page's memory and is never stored: a reload gets a new one from the
refresh call. Both cookies last as long as the refresh token (its chain rotates at every refresh).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from partnerka.accounts.service import REFRESH_TOKEN_TTL, Session
from partnerka.common.errors import Forbidden, Unauthenticated
from routes.schemas import SessionOut

REFRESH_COOKIE = "pk_refresh"
CSRF_COOKIE = "pk_csrf"
CSRF_HEADER = "x-csrf-token"
AUTH_PATH = "/api/auth"
_LIFETIME = int(REFRESH_TOKEN_TTL.total_seconds())


def _cookies(refresh_token: str, csrf: str, max_age: int) -> list[Cookie]:
    strict = SameSite.STRICT_MODE
    return [
        Cookie(
            REFRESH_COOKIE, refresh_token, path=AUTH_PATH, http_only=True, max_age=max_age, same_site=strict
        ),
        Cookie(CSRF_COOKIE, csrf, path="/", http_only=False, max_age=max_age, same_site=strict),
    ]


def session_response(session: Session) -> Response[SessionOut]:
    """The session's answer: the access token in the body, the refresh token in its cookie."""
    cookies = _cookies(session.refresh_token, secrets.token_urlsafe(32), _LIFETIME)
    return Response(200, "application/json", SessionOut.of(session), cookies=cookies)


def ended() -> list[Cookie]:
    """Cookies that remove both (Max-Age=0)."""
    return _cookies("", "", 0)


def request_cookies(event: Any) -> dict[str, str]:
    """The request's cookies (payload 2.0 carries them apart from the headers), the first of a name
    winning: a browser sends the cookie of the longest path first, and ours is on /api/auth.
    (Powertools' `resolved_cookies_field` keeps the last, which a cookie of the same name set on a
    shorter path by someone else would be.)"""
    found: dict[str, str] = {}
    for pair in event.cookies or []:
        name, separator, value = str(pair).partition("=")
        if separator:
            found.setdefault(name.strip(), value.strip())
    return found


def presented_refresh_token(event: Any) -> str | None:
    """The refresh token of a refresh or sign-out call, once the call proved it comes from the
    page (its X-CSRF-Token matches the pk_csrf cookie); None when there is no session cookie."""
    cookies = request_cookies(event)
    token = cookies.get(REFRESH_COOKIE, "")
    if not token:
        return None
    expected = cookies.get(CSRF_COOKIE, "").encode()
    presented = str(event.headers.get(CSRF_HEADER, "")).encode()
    if not expected or not hmac.compare_digest(expected, presented):
        raise Forbidden("this call needs the session's X-CSRF-Token header, as the dashboard sends it")
    return token


def required_refresh_token(event: Any) -> str:
    token = presented_refresh_token(event)
    if token is None:
        raise Unauthenticated("no session to refresh: sign in")
    return token
