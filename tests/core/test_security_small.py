"""Smaller holes, closed: an order line's page, partner saves, review moderation, Oscar's group."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import UserFactory, paid_order_create, product_by_sku

pytestmark = pytest.mark.django_db

Partner = get_model("partner", "Partner")
ProductReview = get_model("reviews", "ProductReview")


def test_a_patients_own_order_line_is_a_404_not_a_500(client, catalogue, patient):
    order = paid_order_create(items=[("TUI-5", 1)], user=patient)
    client.force_login(patient)

    response = client.get(
        reverse("customer:order-line", args=[order.number, order.lines.first().pk])
    )

    assert response.status_code == 404


def test_view_only_staff_cannot_save_the_partner(client, catalogue):
    reader = UserFactory(email="reader@example.com", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_partner"))
    partner = Partner.objects.first()
    name = partner.name
    client.force_login(reader)
    url = reverse("dashboard:partner-manage", args=[partner.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Taken over", "line1": "1 Road", "postcode": "123456"})

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.name == name


def test_a_review_waits_for_moderation(client, catalogue, patient):
    product = product_by_sku("TUI-5").parent
    client.force_login(patient)

    client.post(
        reverse("catalogue:reviews-add", args=[product.slug, product.pk]),
        {"title": "Helped my back", "score": 5, "body": "It may help others too."},
    )

    review = ProductReview.objects.get(product=product, user=patient)
    assert review.status == ProductReview.FOR_MODERATION
    assert "Helped my back" not in client.get(product.get_absolute_url()).content.decode()


def test_oscars_all_dashboard_permissions_group_is_gone():
    assert not Group.objects.filter(name="All Oscar Dashboard Permissions").exists()
