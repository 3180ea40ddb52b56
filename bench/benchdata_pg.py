"""The PostgreSQL writer of :mod:`bench.benchdata`: set-based, no Python loop.

Every random attribute of a case is drawn once into a temporary table
(``generate_series`` + ``random()`` after ``setseed``), ids are taken from the
tables' own sequences there, and each target table is filled by one
``INSERT … SELECT`` from it. The quote is DESIGN §4.2 in SQL: ``round()`` on
``numeric`` rounds half away from zero, which for amounts ≥ 0 is half up.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

from bench.benchdata import (
    ACTION_TAKEN_SHARE,
    CASE_PREFIX,
    CATEGORIES,
    COMPOUNDING,
    COUNTER_SHARE,
    DEPOSITS,
    FIR_SHARE,
    FIRST_NAMES,
    FLAGGED_SHARE,
    LAST_NAMES,
    MOBILE_SHARE,
    REGISTRATION_MIX,
    REMINDED_SHARE,
    SUB_DIVISION_SKEW,
    THEFT_TYPES,
    Setup,
)


def _category_values() -> tuple[str, list]:
    """Return a VALUES list of (category, r from, r to, kW range, tariff, …) and params."""
    rows, params, low = [], [], Decimal(0)
    for index, (category, share, lo_kw, hi_kw, tariff, hours) in enumerate(CATEGORIES):
        high = Decimal(2) if index == len(CATEGORIES) - 1 else low + share
        small, rate = COMPOUNDING[category]
        rows.append("(%s, %s::float8, %s::float8, %s::numeric, %s::numeric, %s::numeric,"
                    " %s::numeric, %s::numeric, %s::numeric)")
        params += [category, float(low), float(high), lo_kw, hi_kw, tariff, hours, small, rate]
        low = high
    return ", ".join(rows), params


def _status_case() -> tuple[str, list]:
    parts, params, cumulative = [], [], Decimal(0)
    for status, share in REGISTRATION_MIX[:-1]:
        cumulative += share
        parts.append("WHEN s.r_st < %s THEN %s")
        params += [float(cumulative), str(status)]
    parts.append("ELSE %s")
    params.append(str(REGISTRATION_MIX[-1][0]))
    return "CASE " + " ".join(parts) + " END", params


@transaction.atomic
def generate(setup: Setup, *, cases: int, registrations: int, seed: int) -> dict:
    first = setup.first_serial
    last = first + cases - 1
    start, days = setup.registration_days
    scheme = setup.scheme
    counts: dict = {}
    with connection.cursor() as cursor:
        # ON COMMIT DROP does not fire inside an outer transaction (tests).
        cursor.execute("DROP TABLE IF EXISTS bg_case, bg_reg")
        cursor.execute("SELECT setseed(%s)", [((seed % 2000) - 1000) / 1000])
        values_sql, values_params = _category_values()
        status_sql, status_params = _status_case()
        cursor.execute(
            f"""
            CREATE TEMP TABLE bg_case ON COMMIT DROP AS
            WITH base AS (
              SELECT n, random() AS r_sd, random() AS r_cat, random() AS r_load,
                     random() AS r_det, random() AS r_fed, random() AS r_days,
                     random() AS r_dep, random() AS r_mob, random() AS r_fir,
                     random() AS r_type, random() AS r_flag, random() AS r_reg,
                     random() AS r_st, random() AS r_day, random() AS r_pay
              FROM generate_series(%s::int, %s::int) AS n
            ), shaped AS (
              SELECT b.*, c.category, c.tariff, c.hours, c.small, c.rate,
                     c.lo_kw + floor(b.r_load * ((c.hi_kw - c.lo_kw) * 2 + 1))::numeric / 2
                       AS load_kw,
                     DATE '2023-01-01' + floor(b.r_det * 365)::int AS detected,
                     (%s::bigint[])[1 + least(%s - 1,
                        floor(%s * power(b.r_sd, %s))::int)] AS sd_id,
                     nextval(pg_get_serial_sequence('consumers_consumer', 'id'))
                       AS consumer_id,
                     nextval(pg_get_serial_sequence('theft_cases_theftcase', 'id'))
                       AS case_id,
                     row_number() OVER (ORDER BY b.r_reg) AS reg_rank
              FROM base b
              JOIN (VALUES {values_sql}) AS c(category, r_from, r_to, lo_kw, hi_kw,
                                               tariff, hours, small, rate)
                ON b.r_cat >= c.r_from AND b.r_cat < c.r_to
            ), assessed AS (
              SELECT s.*,
                -- numeric, not float8: round() on float8 rounds half to even,
                -- and the quote below must round half up like the engine.
                round(s.load_kw * s.hours * (90 + floor(s.r_days * 276)) * 0.5
                      * s.tariff * 2)::numeric AS assessment,
                CASE WHEN s.category = 'LMV-5'
                       THEN s.rate * greatest(1, ceil(s.load_kw / 0.746))
                     WHEN s.category = 'NC' THEN s.rate * greatest(1, floor(s.load_kw))
                     WHEN s.load_kw <= 1 THEN s.small
                     ELSE s.rate * ceil(s.load_kw) END AS compounding,
                (%s::numeric[])[1 + floor(s.r_dep * %s)::int] AS deposited,
                s.detected + 35 + floor(s.r_fed * greatest(0,
                    %s::date - s.detected - 35))::int AS fed_on,
                CASE WHEN s.reg_rank <= %s THEN {status_sql} END AS reg_status
              FROM shaped s
            )
            SELECT a.*,
              CASE a.reg_status
                WHEN 'settled' THEN 'settled'
                WHEN 'fee_paid' THEN 'registered'
                WHEN 'verified' THEN 'registered'
                WHEN 'lapsed' THEN 'flagged'
                ELSE CASE WHEN a.r_flag < %s THEN 'action_taken'
                          WHEN a.r_flag < %s THEN 'flagged'
                          ELSE 'fed' END
              END AS case_status
            FROM assessed a
            """,  # noqa: S608 - only our own placeholders
            [first, last, setup.sub_division_ids, len(setup.sub_division_ids),
             len(setup.sub_division_ids), SUB_DIVISION_SKEW, *values_params,
             DEPOSITS, len(DEPOSITS), setup.today, registrations, *status_params,
             ACTION_TAKEN_SHARE, ACTION_TAKEN_SHARE + FLAGGED_SHARE],
        )
        cursor.execute(
            """
            INSERT INTO consumers_consumer (id, name, father_or_husband_name, address,
                mobile, account_number, email, created_at, updated_at)
            SELECT consumer_id,
                   (%s::text[])[1 + mod(n, 16)] || ' ' || (%s::text[])[1 + mod(n / 16, 12)],
                   '', n || '/1, Lucknow',
                   CASE WHEN r_mob < %s THEN '9' || lpad(mod(n, 1000000000)::text, 9, '0')
                        ELSE '' END,
                   CASE WHEN category = 'NC' THEN '' ELSE lpad(n::text, 10, '0') END,
                   '', now(), now()
            FROM bg_case
            """,
            [FIRST_NAMES, LAST_NAMES, MOBILE_SHARE],
        )
        counts["consumers"] = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO theft_cases_theftcase (id, case_number, detection_date, category,
                theft_type, load_kw, fir_number, police_station, assessment_amount,
                compounding_fee, deposited_amount, status, fed_at, flagged_at, updated_at,
                consumer_id, fed_by_id, sub_division_id)
            SELECT case_id, %s || lpad(n::text, 7, '0'), detected, category,
                   CASE WHEN category = 'NC' THEN 'direct'
                        ELSE (%s::text[])[1 + floor(r_type * %s)::int] END,
                   load_kw,
                   CASE WHEN r_fir < %s THEN (mod(n, 999) + 1) || '/2023' ELSE '' END,
                   '', assessment, compounding, deposited, case_status,
                   (fed_on + time '11:00' + make_interval(mins => floor(r_day * 60)::int))
                     AT TIME ZONE 'Asia/Kolkata',
                   CASE WHEN case_status IN ('flagged', 'action_taken')
                        THEN (fed_on + 16 + time '11:00') AT TIME ZONE 'Asia/Kolkata' END,
                   now(), consumer_id, NULL, sd_id
            FROM bg_case
            """,
            [CASE_PREFIX, THEFT_TYPES, len(THEFT_TYPES), FIR_SHARE],
        )
        counts["cases"] = cursor.rowcount
        cursor.execute(
            """
            CREATE TEMP TABLE bg_reg ON COMMIT DROP AS
            SELECT nextval(pg_get_serial_sequence('ots_scheme_registration', 'id')) AS reg_id,
                   q.*,
                   least(q.total_payable, greatest(%s::numeric,
                         round(q.assessment * %s::numeric / 100))) AS registration_fee,
                   (q.reg_day + time '10:00') AT TIME ZONE 'Asia/Kolkata' AS created
            FROM (
              SELECT d.*, p.id AS phase_id, p.number AS phase_number,
                     p.payable_percent, p.ends_on,
                     round(d.assessment * p.payable_percent / 100) AS assessment_payable,
                     greatest(0, round(d.assessment * p.payable_percent / 100)
                                 - d.deposited) + d.compounding AS total_payable
              FROM (SELECT c.*, %s::date + floor(%s * power(c.r_day, 1.5))::int AS reg_day
                    FROM bg_case c WHERE c.reg_status IS NOT NULL) AS d
              CROSS JOIN LATERAL (
                SELECT * FROM ots_scheme_phase ph
                WHERE ph.scheme_id = %s AND ph.starts_on <= d.reg_day
                ORDER BY ph.starts_on DESC LIMIT 1
              ) AS p
            ) AS q
            """,
            [scheme.min_registration_fee, scheme.registration_percent, start, days,
             scheme.pk],
        )
        cursor.execute(
            """
            INSERT INTO ots_scheme_registration (id, registration_number, status,
                applicant_name, father_or_husband_name, address, mobile, email,
                id_proof_type, id_proof_last4, id_document, declaration_accepted,
                identity_check_required, consent_document, phase_number, payable_percent,
                assessment, assessment_payable, waiver, compounding_fee, deposited,
                total_payable, registration_fee, balance, balance_due_date, quoted_on,
                frozen_at, created_at, expires_at, fee_paid_at, verified_at, settled_at,
                lapsed_at, rejected_at, rejection_reason, assisted_by_id, case_id,
                phase_id, rejected_by_id, sub_division_id, verified_by_id, scheme_id)
            SELECT r.reg_id, 'BG' || lpad(r.n::text, 7, '0'), r.reg_status,
                   c.name, '', c.address, CASE WHEN c.mobile = '' THEN '9000000000'
                                               ELSE c.mobile END, '',
                   '', '', '', true, false, '',
                   CASE WHEN r.frozen THEN r.phase_number END,
                   CASE WHEN r.frozen THEN r.payable_percent END,
                   CASE WHEN r.frozen THEN r.assessment END,
                   CASE WHEN r.frozen THEN r.assessment_payable END,
                   CASE WHEN r.frozen THEN r.assessment - r.assessment_payable END,
                   CASE WHEN r.frozen THEN r.compounding END,
                   CASE WHEN r.frozen THEN r.deposited END,
                   CASE WHEN r.frozen THEN r.total_payable END,
                   CASE WHEN r.frozen THEN r.registration_fee END,
                   CASE WHEN r.frozen THEN r.total_payable - r.registration_fee END,
                   CASE WHEN r.frozen THEN r.ends_on END,
                   CASE WHEN r.frozen THEN r.reg_day END,
                   CASE WHEN r.frozen THEN r.created + interval '1 hour' END,
                   r.created,
                   CASE WHEN NOT r.frozen THEN r.created + interval '48 hours' END,
                   CASE WHEN r.frozen THEN r.created + interval '1 hour' END,
                   CASE WHEN r.reg_status IN ('verified', 'settled')
                        THEN r.created + interval '2 days' END,
                   CASE WHEN r.reg_status = 'settled' THEN least(
                        r.created + interval '5 days',
                        (r.ends_on + time '18:00') AT TIME ZONE 'Asia/Kolkata') END,
                   CASE WHEN r.reg_status = 'lapsed'
                        THEN (r.ends_on + 1 + time '01:00') AT TIME ZONE 'Asia/Kolkata' END,
                   NULL, '', NULL, r.case_id,
                   CASE WHEN r.frozen THEN r.phase_id END,
                   NULL, r.sd_id, NULL, %s
            FROM (SELECT *, reg_status <> 'submitted' AS frozen FROM bg_reg) AS r
            JOIN consumers_consumer c ON c.id = r.consumer_id
            """,
            [scheme.pk],
        )
        counts["registrations"] = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO payments_payment (order_id, purpose, amount, status, mode, gateway,
                gateway_reference, receipt_number, created_at, updated_at, paid_at,
                recorded_by_id, registration_id, sub_division_id)
            SELECT reg.registration_number || p.suffix, p.purpose, p.amount, 'success',
                   CASE WHEN b.r_pay < %s THEN 'cash' ELSE 'online' END,
                   CASE WHEN b.r_pay < %s THEN '' ELSE 'sandbox' END,
                   CASE WHEN b.r_pay < %s THEN '' ELSE reg.registration_number || p.suffix END,
                   '', p.paid_at, now(), p.paid_at, NULL, reg.id, reg.sub_division_id
            FROM bg_reg b
            JOIN ots_scheme_registration reg ON reg.id = b.reg_id
            CROSS JOIN LATERAL (VALUES
                ('-F', 'registration_fee', reg.registration_fee, reg.fee_paid_at),
                ('-B', 'balance', reg.balance, reg.settled_at)
            ) AS p(suffix, purpose, amount, paid_at)
            WHERE p.paid_at IS NOT NULL AND p.amount > 0
            """,
            [COUNTER_SHARE, COUNTER_SHARE, COUNTER_SHARE],
        )
        counts["payments"] = cursor.rowcount
        # The money ledger (DESIGN §4.2a): one credit per successful payment,
        # and each registration's credited total and balance due from it.
        cursor.execute(
            """
            INSERT INTO payments_ledgerentry (kind, amount, reference, note, created_at,
                payment_id, registration_id, sub_division_id, recorded_by_id)
            SELECT 'credit', p.amount, p.gateway_reference, '', p.paid_at, p.id,
                   p.registration_id, p.sub_division_id, NULL
            FROM payments_payment p JOIN bg_reg b ON b.reg_id = p.registration_id
            WHERE p.status = 'success'
            """
        )
        cursor.execute(
            """
            UPDATE ots_scheme_registration reg
            SET credited = t.credited,
                balance = CASE WHEN reg.status = 'settled' THEN 0
                               ELSE greatest(0, reg.total_payable - t.credited) END
            FROM (SELECT p.registration_id, sum(p.amount) AS credited
                  FROM payments_payment p JOIN bg_reg b ON b.reg_id = p.registration_id
                  WHERE p.status = 'success' GROUP BY p.registration_id) AS t
            WHERE reg.id = t.registration_id
            """
        )
        cursor.execute(
            """
            INSERT INTO theft_cases_actionitem (reason, status, created_at, due_date,
                closed_at, closed_reason, escalated_at, scheme_id, sub_division_id, case_id)
            SELECT CASE WHEN b.reg_status = 'lapsed' THEN 'lapsed' ELSE 'unregistered' END,
                   CASE WHEN b.case_status = 'action_taken' THEN 'in_progress'
                        ELSE 'open' END,
                   (b.fed_on + 16 + time '11:00') AT TIME ZONE 'Asia/Kolkata',
                   b.fed_on + 31, NULL, '', NULL, %s, b.sd_id, b.case_id
            FROM bg_case b WHERE b.case_status IN ('flagged', 'action_taken')
            """,
            [scheme.pk],
        )
        counts["action_items"] = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO theft_cases_actionrecord (kind, done_on, remarks, created_at,
                item_id, officer_id)
            SELECT 'notice', ai.due_date - 10, 'Notice served at the premises', now(),
                   ai.id, %s
            FROM theft_cases_actionitem ai JOIN bg_case b ON b.case_id = ai.case_id
            WHERE ai.status = 'in_progress'
            """,
            [setup.officer_id],
        )
        counts["action_records"] = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO theft_cases_reminder (days_before, sent_at, phase_id, case_id)
            SELECT 7, (%s::date - 7 + time '10:00') AT TIME ZONE 'Asia/Kolkata', %s, case_id
            FROM bg_case WHERE reg_status IS NULL AND r_flag > %s
            """,
            [setup.phases[0].ends_on, setup.phases[0].pk, 1 - REMINDED_SHARE],
        )
        counts["reminders"] = cursor.rowcount
        cursor.execute(
            "SELECT reg_status, count(*) FROM bg_reg GROUP BY reg_status ORDER BY 1"
        )
        counts["registrations_by_status"] = dict(cursor.fetchall())
    with connection.cursor() as cursor:
        for table in ("consumers_consumer", "theft_cases_theftcase",
                      "ots_scheme_registration", "payments_payment",
                      "theft_cases_actionitem", "theft_cases_reminder"):
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - fixed table names
    return counts
