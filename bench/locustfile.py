"""Last-day-of-phase traffic on the public pages (DESIGN §6), for bench_load.py.

Pages come from LOAD_PAGES (a JSON list: which of lookup, calculator, otp,
status, home exist at run time); samples of real case numbers, accounts and
mobiles from LOAD_SAMPLES. Every simulated person arrives from their own
address (X-Real-IP, which the portal reads through CLIENT_IP_HEADER as
behind nginx), so per-address limits apply per person, as in production.
Bounded: ``-t`` on the command line and LOAD_MAX_REQUESTS here.
"""

from __future__ import annotations

import json
import os
import random
import re
import time

from locust import FastHttpUser, events, task

PAGES = set(json.loads(os.environ.get("LOAD_PAGES", '["home"]')))
with open(os.environ["LOAD_SAMPLES"], encoding="utf-8") as handle:
    SAMPLES = json.load(handle)
RATE = float(os.environ.get("LOAD_RATE_PER_USER", "0"))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "200000"))
ONLY = os.environ.get("LOAD_ONLY", "")  # e.g. a static path for the baseline
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Share of each page on the last day of a phase: mostly people finding their
# case and working out what they owe; fewer sending OTPs and checking status;
# a few going all the way: OTP, the registration wizard and the sandbox bank.
WEIGHTS = {"lookup": 35, "calculator": 30, "otp": 10, "status": 15, "home": 10,
           "register": 2}
_sent = 0
# Cases with a mobile on record, each registered at most once (one live
# registration per case); the OTP-only task uses the others, so the per-mobile
# limit of 3 OTPs an hour never turns a registration away.
_WITH_MOBILE = [s for s in SAMPLES if s.get("mobile")]
REGISTRABLE = _WITH_MOBILE[1::2]
OTP_ONLY = _WITH_MOBILE[0::2] or SAMPLES
random.shuffle(REGISTRABLE)
# A tiny valid PDF for the ID-proof upload (checked by content, not name).
ID_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
          b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
_db = None


def latest_otp(mobile: str) -> str | None:
    """Read the OTP from the SMS outbox, as the browser test does (bench only)."""
    global _db
    import psycopg2

    if _db is None:
        _db = psycopg2.connect(os.environ["DATABASE_URL"])
        _db.autocommit = True
    with _db.cursor() as cursor:
        cursor.execute("SELECT variables->>'code' FROM consumers_smsmessage WHERE mobile = %s"
                       " AND template = 'ots_otp' ORDER BY id DESC LIMIT 1", [mobile])
        row = cursor.fetchone()
    return row[0] if row else None


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """Encode a multipart/form-data body (FastHttpUser has no ``files=``)."""
    boundary = f"----redportal{random.getrandbits(64):x}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, content, kind) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                     + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@events.request.add_listener
def _bound(context=None, **_kwargs):
    global _sent
    _sent += 1
    person = (context or {}).get("person")
    if person is not None:
        person.requests += 1
    if _sent == MAX_REQUESTS:
        from locust import runners

        if runners.runner is not None:
            runners.runner.quit()


def _address() -> str:
    # Carrier-grade NAT range: documentation-like addresses only go in a header.
    return f"100.64.{random.randint(0, 63)}.{random.randint(1, 254)}"


class Person(FastHttpUser):
    def on_start(self):
        self.started, self.requests = time.monotonic(), 0

    def context(self) -> dict:
        return {"person": self}

    def wait_time(self) -> float:
        """Offer RATE requests a second from this person (0: as fast as answered).

        Paced by requests, not tasks: sending an OTP is two requests and a
        registration twelve, so pacing tasks offered more than the rate named.
        """
        if not RATE:
            return 0.0
        return max(0.0, self.started + self.requests / RATE - time.monotonic())

    def _headers(self) -> dict:
        return {"X-Real-IP": _address(), "Accept-Language": "hi"}

    def _sample(self) -> dict:
        return random.choice(SAMPLES)

    if "__static__" not in PAGES:

        @task(WEIGHTS["lookup"] if "lookup" in PAGES else 0)
        def lookup(self):
            case = self._sample()
            params = ({"case_number": case["case_number"]} if random.random() < 0.7
                      else {"account_number": case["account_number"] or "1234567890"})
            self.client.get("/ots/lookup/", params=params, headers=self._headers(),
                            name="lookup")

        @task(WEIGHTS["calculator"] if "calculator" in PAGES else 0)
        def calculator(self):
            case = self._sample()
            headers = {**self._headers(), "HX-Request": "true"}
            self.client.get("/ots/calculator/", params={
                "assessment": case["assessment"], "compounding_fee": case["compounding_fee"],
                "deposited": "0"}, headers=headers, name="calculator")

        @task(WEIGHTS["otp"] if "otp" in PAGES else 0)
        def otp(self):
            """Open the case page's OTP start with a fresh session and CSRF token."""
            case = random.choice(OTP_ONLY)
            headers = self._headers()
            self.client.cookiejar.clear()
            page = self.client.get("/ots/lookup/", params={"case_number": case["case_number"]},
                                   headers=headers, name="otp: lookup")
            token = CSRF.search(page.text or "")
            if not token:
                return
            self.client.post("/ots/otp/start/", data={
                "csrfmiddlewaretoken": token.group(1), "case_number": case["case_number"]},
                headers={**headers, "Referer": self.host + "/ots/lookup/"},
                name="otp: send")

        @task(WEIGHTS["register"] if {"otp", "register"} <= PAGES and REGISTRABLE else 0)
        def register_and_pay(self):
            """The whole way: OTP, the four wizard steps, the fee at the sandbox bank."""
            if not REGISTRABLE:
                return
            case = REGISTRABLE.pop()
            headers = self._headers()
            post = {**headers, "Referer": self.host + "/ots/lookup/"}
            self.client.cookiejar.clear()
            page = self.client.get("/ots/lookup/", params={"case_number": case["case_number"]},
                                   headers=headers, name="register: lookup")
            token = CSRF.search(page.text or "")
            # A case registered in an earlier phase of the bench (each locust run
            # shuffles the same cases) offers no registration: a person would
            # stop here, not send an OTP the portal refuses.
            if not token or 'action="/ots/otp/start/"' not in (page.text or ""):
                return
            csrf = token.group(1)

            def step(path, fields, name, *, body=None, kind=None):
                """POST one step without following its redirect; return the Location."""
                extra = {"Content-Type": kind} if kind else {}
                response = self.client.post(
                    path, data=body if body is not None else {"csrfmiddlewaretoken": csrf,
                                                               **fields},
                    headers={**post, **extra}, name=name, allow_redirects=False)
                return (response.headers or {}).get("Location", "")

            step("/ots/otp/start/", {"case_number": case["case_number"]},
                 "register: send OTP")
            code = latest_otp(case["mobile"])
            if not code:
                return
            step("/ots/otp/verify/", {"code": code}, "register: verify OTP")
            step("/ots/register/case/", {}, "register: confirm case")
            body, kind = multipart(
                {"csrfmiddlewaretoken": csrf, "applicant_name": "राम कुमार",
                 "father_or_husband_name": "श्याम लाल", "address": "12/4, अमीनाबाद, लखनऊ",
                 "email": "", "id_proof_type": "aadhaar", "id_proof_last4": "4321"},
                {"id_document": ("aadhaar.pdf", ID_PDF, "application/pdf")},
            )
            step("/ots/register/details/", {}, "register: details", body=body, kind=kind)
            step("/ots/register/declaration/", {"accept": "on"}, "register: declaration")
            registration = step("/ots/register/confirm/", {}, "register: submit")
            number = re.search(r"/ots/registration/([^/]+)/", registration)
            if not number:
                return
            checkout = step(f"/ots/registration/{number.group(1)}/pay/registration_fee/", {},
                            "register: pay fee")
            if not checkout:
                return
            bank = (self.client.get(checkout, headers=headers, name="register: checkout",
                                    allow_redirects=False).headers or {}).get("Location", "")
            if "/payments/sandbox/" not in bank:
                return
            back = step(bank, {"outcome": "success"}, "register: sandbox bank")
            if back:
                self.client.get(back, headers=headers, name="register: return page")

        @task(WEIGHTS["status"] if "status" in PAGES else 0)
        def status(self):
            self.client.get("/ots/status/", headers=self._headers(), name="status")

        @task(WEIGHTS["home"] if "home" in PAGES else 0)
        def home(self):
            self.client.get("/", headers=self._headers(), name="home")

    else:

        @task
        def static(self):
            self.client.get(ONLY, headers=self._headers(), name="baseline: static file")
