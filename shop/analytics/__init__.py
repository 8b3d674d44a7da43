default_app_config = "shop.analytics.apps.AnalyticsConfig"
