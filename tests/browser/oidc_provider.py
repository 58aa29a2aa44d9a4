"""A minimal OpenID Connect provider for the single-sign-on browser test.

It runs on 127.0.0.1 (a free port) in a daemon thread and speaks just enough of the
authorization-code flow for Streamlit's `st.login` (Authlib) to complete a real login:

- `/.well-known/openid-configuration`: the discovery document;
- `/jwks`: the public half of an RSA key made at start;
- `/authorize`: checks client_id, redirect_uri and response_type, then approves at once and
  redirects back with a one-time code for `provider.email` (the test sets who logs in);
- `/token`: checks the client secret (basic or post), the code, the redirect_uri and the
  PKCE verifier, and returns an RS256-signed id_token (iss, aud, sub, email,
  email_verified, nonce, exp, iat) with an access token;
- `/userinfo`: the same claims for that access token.

Signing uses joserfc, which Authlib (>=1.7) depends on and uses itself to check the token
(`authlib.jose` is deprecated there). Codes expire after a minute; a request that takes
longer than `REQUEST_TIMEOUT` is dropped; `stop()` (or leaving the `with` block) shuts
the server down.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

REQUEST_TIMEOUT = 10  # seconds a client may take to send a request
CODE_SECONDS = 60
TOKEN_SECONDS = 300


@dataclass
class _Grant:
    email: str
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    issued: float = field(default_factory=time.monotonic)


class OIDCProvider:
    """The provider; `email` is the identity the next `/authorize` approves."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        email: str = "",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.email = email
        self.issued: list[dict[str, Any]] = []  # the id_token claims handed out
        self._key = RSAKey.generate_key(
            2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}
        )
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.issuer = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )

    # --- lifetime ---------------------------------------------------------------------

    def start(self) -> OIDCProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> OIDCProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    # --- the protocol -----------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["iss", "aud", "sub", "email", "email_verified", "nonce"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self._key.as_dict(private=False)]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """Approve at once: redirect to the client's callback with a code."""
        if query.get("client_id") != self.client_id:
            return 400, {}, {"error": "unauthorized_client"}
        if query.get("redirect_uri") != self.redirect_uri:
            return 400, {}, {"error": "invalid_request", "error_description": "redirect_uri"}
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return 400, {}, {"error": "unsupported_response_type"}
        if query.get("code_challenge") and query.get("code_challenge_method") != "S256":
            return 400, {}, {"error": "invalid_request", "error_description": "PKCE method"}
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Grant(
                email=self.email,
                client_id=self.client_id,
                redirect_uri=self.redirect_uri,
                nonce=query.get("nonce"),
                code_challenge=query.get("code_challenge"),
            )
        back = {"code": code}
        if "state" in query:
            back["state"] = query["state"]
        return 302, {"Location": f"{self.redirect_uri}?{urlencode(back)}"}, None

    def _client_authenticated(self, form: dict[str, str], authorization: str) -> bool:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            client_id, _, secret = decoded.partition(":")
            client_id, secret = unquote(client_id), unquote(secret)
        return client_id == self.client_id and secrets.compare_digest(
            secret or "", self.client_secret
        )

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        """Exchange a code (once) for an access token and a signed id_token."""
        if not self._client_authenticated(form, authorization):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or time.monotonic() - grant.issued > CODE_SECONDS:
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest())
            if challenge.rstrip(b"=").decode() != grant.code_challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "sub": hashlib.sha256(grant.email.encode()).hexdigest()[:24],
            "email": grant.email,
            "email_verified": True,
            "iat": now,
            "exp": now + TOKEN_SECONDS,
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        id_token = jwt.encode({"alg": "RS256", "kid": self._key.kid}, claims, self._key)
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[access_token] = claims
            self.issued.append(claims)
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "scope": "openid email profile",
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            claims = self._tokens.get(authorization.removeprefix("Bearer "))
        if claims is None or time.time() > claims["exp"]:
            return 401, {"error": "invalid_token"}
        return 200, {k: claims[k] for k in ("sub", "email", "email_verified")}

    # --- HTTP -------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            timeout = REQUEST_TIMEOUT

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return  # quiet: the test reports what matters

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._send(200, provider.metadata())
                elif url.path == "/jwks":
                    self._send(200, provider.jwks())
                elif url.path == "/authorize":
                    status, headers, body = provider.authorize(query)
                    self._send(status, body, headers)
                elif url.path == "/userinfo":
                    self._send(*provider.userinfo(self.headers.get("Authorization", "")))
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                length = min(int(self.headers.get("Content-Length") or 0), 65_536)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                authorization = self.headers.get("Authorization", "")
                if urlsplit(self.path).path == "/token":
                    self._send(*provider.token(form, authorization))
                elif urlsplit(self.path).path == "/userinfo":
                    self._send(*provider.userinfo(authorization))
                else:
                    self._send(404, {"error": "not_found"})

        return Handler
