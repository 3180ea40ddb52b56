"""The integration API's endpoints (DESIGN §8): thin views over the services.

Every view reads through ``organization.scoping.visible_in`` with the
client's unit, so another unit's case or entry is a 404 like a missing one.
One module per resource: ``cases``, ``ledger``, ``dues``; ``base`` holds
``ApiView`` and the JSON 404.
"""

from api.views.base import ApiView, NotFoundView
from api.views.cases import CaseCollection, CaseDetail, case_dict
from api.views.dues import DuesFeed
from api.views.ledger import LedgerFeed, LedgerPosting

__all__ = ["ApiView", "CaseCollection", "CaseDetail", "DuesFeed", "LedgerFeed",
           "LedgerPosting", "NotFoundView", "case_dict"]
