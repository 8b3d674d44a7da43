"""Count the SQL queries of pages, warm, for `make bench` (stock Oscar's project or the shop's).

    python count_queries.py '[["/catalogue/", false], ["/basket/", true]]'

Run from the project's directory with its settings. A page marked true is fetched by a
shopper with one item in the basket (the first product page's add form), others by a new
cookie-less client each time, as wrk sends them; a page given a string is fetched with
that Cookie header (a signed-in checkout's, as wrk sends it). Prints a JSON list of
counts (last line).
"""

import json
import os
import re
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oscar.core.loading import get_model

    product = (
        get_model("partner", "StockRecord").objects.filter(product__parent__isnull=True)
        .select_related("product").order_by("pk").first().product
    )  # fmt: skip
    shopper = Client(HTTP_HOST="127.0.0.1")
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    counts = []
    for path, with_basket in json.loads(sys.argv[1]):
        for _ in range(2):  # the second request is the warm one
            client = shopper if with_basket else Client(HTTP_HOST="127.0.0.1")
            if isinstance(with_basket, str):
                client = Client(HTTP_HOST="127.0.0.1")
                client.cookies.load(with_basket)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts.append(sum(1 for q in captured if not re.match(r"(BEGIN|COMMIT)", q["sql"])))
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
