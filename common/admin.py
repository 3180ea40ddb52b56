"""What the admin may do with a model whose rows only services write."""

from __future__ import annotations


class ViewOnlyAdmin:
    """Mix into a ``ModelAdmin`` or an inline: rows are listed and shown, never
    added, changed or deleted here.

    For models whose status (or money) moves only through their owner module
    (docs/contributing.md, "Status owners"): an admin form would write it past
    every rule of that module. Staff act in the staff area instead.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
