from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'payments'

    def ready(self):
        # function-level: AppConfig.ready(), registers checks and hooks once models are loaded
        import payments.checks  # noqa: F401
        from ots_scheme import money_facts
        from payments import queries
        from theft_cases.queries import on_case_page

        # ots_scheme sits below payments and never imports it (DESIGN §2): the
        # registration lifecycle asks these through ots_scheme.money_facts.
        money_facts.register(in_flight=queries.payments_in_flight,
                             fee_succeeded=queries.fee_payments_succeeded)
        # theft_cases sits below too: the staff case page gets the case's
        # registrations and their payments from here.
        on_case_page("payments", detail=queries.registrations_on_case_page)
