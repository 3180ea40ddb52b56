"""The portal's Content-Security-Policy, set by ``redportal.middleware`` on every
response; a view that must post elsewhere (the bank hand-off) widens a copy of it."""

# No inline scripts anywhere: every script is a static file of the portal's.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
