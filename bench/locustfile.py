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

from locust import FastHttpUser, constant, constant_throughput, events, task

PAGES = set(json.loads(os.environ.get("LOAD_PAGES", '["home"]')))
with open(os.environ["LOAD_SAMPLES"], encoding="utf-8") as handle:
    SAMPLES = json.load(handle)
RATE = float(os.environ.get("LOAD_RATE_PER_USER", "0"))
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "200000"))
ONLY = os.environ.get("LOAD_ONLY", "")  # e.g. a static path for the baseline
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Share of each page on the last day of a phase: mostly people finding their
# case and working out what they owe; fewer sending OTPs and checking status.
WEIGHTS = {"lookup": 35, "calculator": 30, "otp": 10, "status": 15, "home": 10}
_sent = 0


@events.request.add_listener
def _bound(**_kwargs):
    global _sent
    _sent += 1
    if _sent == MAX_REQUESTS:
        from locust import runners

        if runners.runner is not None:
            runners.runner.quit()


def _address() -> str:
    # Carrier-grade NAT range: documentation-like addresses only go in a header.
    return f"100.64.{random.randint(0, 63)}.{random.randint(1, 254)}"


class Person(FastHttpUser):
    wait_time = constant_throughput(RATE) if RATE else constant(0)

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
            case = self._sample()
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
