"""Django helpers every app uses; they import no app (DESIGN §2, the layer above ``core``).

``core`` holds the pure ones (standard library only); these need Django or a
third-party library: exports, pdf, queueing, client IP, throttling, commands,
form fields (amounts, mobiles), document uploads, pagination, the sandbox switch.
"""
