"""Dashboard views of the notifications."""

from oscar.apps.dashboard.communications import views as oscar_comms_views

from shop.notifications import selectors


class CommunicationUpdateView(oscar_comms_views.UpdateView):
    """Oscar's email template editor; its preview gets plain values, never model instances.

    Staff write these templates: a context holding the order (or the user) would let
    `{{ order.user.password }}` print a password hash.
    """

    def get_messages_context(self, form) -> dict:
        return selectors.preview_email_context(
            order=form.get_preview_context().get("order"), user=self.request.user
        )
