default_app_config = "shop.search.apps.SearchConfig"
