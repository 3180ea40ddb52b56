from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from consumers.models import Consumer


@admin.register(Consumer)
class ConsumerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account_number", "mobile")
    search_fields = ("name", "account_number", "mobile")
