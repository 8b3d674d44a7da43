"""Writes of the shipping app."""

SINGAPORE = {
    "iso_3166_1_a3": "SGP",
    "iso_3166_1_numeric": "702",
    "printable_name": "Singapore",
    "name": "Republic of Singapore",
    "display_order": 0,
    "is_shipping_country": True,
}


def shipping_country_ensure(*, apps) -> None:
    """Make Singapore the one country the shop delivers to (idempotent).

    `apps` is an app registry: a migration's historical one or `django.apps.apps`.
    """
    Country = apps.get_model("address", "Country")
    Country.objects.exclude(iso_3166_1_a2="SG").update(is_shipping_country=False)
    Country.objects.update_or_create(iso_3166_1_a2="SG", defaults=SINGAPORE)
