import oscar.apps.dashboard.partners.apps as apps


class PartnersDashboardConfig(apps.PartnersDashboardConfig):
    """Oscar's partner dashboard: linking users only by POST, saving needs the change right."""

    name = "shop.dashboard.partners"

    def ready(self) -> None:
        super().ready()
        # get_class("dashboard.partners.views") looks in Oscar's dashboard app, not here.
        from shop.dashboard.partners import views

        self.manage_view = views.PartnerManageView
        self.user_link_view = views.PartnerUserLinkView
        self.user_unlink_view = views.PartnerUserUnlinkView
