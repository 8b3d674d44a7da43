"""Oscar's analytics, forked so that recording a sale can never fail the sale.

Oscar's receiver counts a product's purchases inside the transaction that places
the order, and creates the product's counter row on its first sale without a
lock: two first-ever sales of one product at once collide on the unique row, and
on PostgreSQL the IntegrityError aborts the placement transaction, failing an
order the patient has paid for. The shop's receivers (shop.analytics.receivers)
count after the order has committed, each counter under a savepoint.
"""

import oscar.apps.analytics.apps as apps


class AnalyticsConfig(apps.AnalyticsConfig):
    name = "shop.analytics"

    def ready(self) -> None:
        # Not super().ready(): that would connect Oscar's own receivers as well.
        from shop.analytics import receivers  # noqa: F401
