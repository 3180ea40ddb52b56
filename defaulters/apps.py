from django.apps import AppConfig


class DefaultersConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'defaulters'

    def ready(self):
        # function-level: AppConfig.ready(), models are not loaded when apps.py is imported
        from defaulters.actions import close_open_items
        from defaulters.audit import check_paid_but_flagged
        from defaulters.queries import action_items_on_case_page, case_history_of_items
        from ots_scheme import case_registered
        from payments.audit import register_check
        from theft_cases.queries import on_case_page

        # The apps below never import defaulters (DESIGN §2); each exposes a
        # narrow hook, and defaulters registers with it here:
        # registering closes the case's open items (DESIGN §4.4);
        case_registered.register("defaulters", close_open_items)
        # the ledger audit lists a paid person still on the list (§4.2a);
        register_check("paid_but_flagged", check_paid_but_flagged)
        # the staff case page shows the case's items and their history.
        on_case_page("defaulters", detail=action_items_on_case_page,
                     history=case_history_of_items)
