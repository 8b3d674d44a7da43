"""The shop's analytics receivers: Oscar's counters, made safe for the orders they count.

A counter's first row is created under a savepoint, so a concurrent first
creation (IntegrityError) rolls back only the savepoint and the count is added
to the row the other transaction made. A sale is counted after its order has
committed (robustly: a failure is logged, never raised), so the counters hold
no row locks in the placement transaction and can never cost a paid order. A product
page's view is counted in Redis and flushed by beat (shop.analytics.services).
"""

import functools
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.order.signals import order_placed
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from shop.analytics.services import counter_add, product_view_count

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserSearch = get_model("analytics", "UserSearch")
Order = get_model("order", "Order")

logger = logging.getLogger("shop.analytics")


def order_sale_record(*, order_id: int, user_id: int | None) -> None:
    """Count the order's purchases per product and the customer's order totals."""
    order = Order._default_manager.filter(pk=order_id).first()
    if order is None:
        return
    quantities: dict[int, int] = {}
    for product_id, quantity in order.lines.values_list("product_id", "quantity"):
        if product_id is not None:
            quantities[product_id] = quantities.get(product_id, 0) + quantity
    for product_id in sorted(quantities):  # one order of rows: no deadlock between sales
        counter_add(
            model=ProductRecord,
            field_name="num_purchases",
            filter_kwargs={"product_id": product_id},
            increment=quantities[product_id],
        )
    if user_id is not None:
        _user_order_record(user_id=user_id, order=order)


def _user_order_record(*, user_id: int, order) -> None:
    values = {
        "num_orders": 1,
        "num_order_lines": order.num_lines,
        "num_order_items": order.num_items,
        "total_spent": order.total_incl_tax,
    }
    records = UserRecord._default_manager.filter(user_id=user_id)
    increments = {name: F(name) + value for name, value in values.items()}
    if records.update(**increments, date_last_order=order.date_placed):
        return
    try:
        with transaction.atomic():
            UserRecord._default_manager.create(
                user_id=user_id, date_last_order=order.date_placed, **values
            )
    except IntegrityError:
        records.update(**increments, date_last_order=order.date_placed)


def _sale_record_safely(*, order_id: int, user_id: int | None) -> None:
    try:
        order_sale_record(order_id=order_id, user_id=user_id)
    except Exception:
        logger.exception("Could not count the sale of order %s in the analytics", order_id)


@receiver(order_placed, dispatch_uid="shop.analytics.order_placed")
def receive_order_placed(sender, order, user, **kwargs) -> None:
    if kwargs.get("raw", False):
        return
    user_id = user.pk if user is not None and user.is_authenticated else None
    transaction.on_commit(
        functools.partial(_sale_record_safely, order_id=order.pk, user_id=user_id)
    )


@receiver(product_viewed, dispatch_uid="shop.analytics.product_viewed")
def receive_product_view(sender, product, user, **kwargs) -> None:
    """Count the view in Redis (flushed to Oscar's rows by beat): no query on the page."""
    if kwargs.get("raw", False):
        return
    user_id = user.pk if user is not None and user.is_authenticated else None
    product_view_count(product_id=product.pk, user_id=user_id)


@receiver(user_search, dispatch_uid="shop.analytics.user_search")
def receive_product_search(sender, query, user, **kwargs) -> None:
    if user and user.is_authenticated and not kwargs.get("raw", False):
        UserSearch._default_manager.create(user=user, query=query)


@receiver(basket_addition, dispatch_uid="shop.analytics.basket_addition")
def receive_basket_addition(sender, product, user, **kwargs) -> None:
    if kwargs.get("raw", False):
        return
    counter_add(
        model=ProductRecord, field_name="num_basket_additions", filter_kwargs={"product": product}
    )
    if user and user.is_authenticated:
        counter_add(
            model=UserRecord, field_name="num_basket_additions", filter_kwargs={"user": user}
        )
