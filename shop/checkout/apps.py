import oscar.apps.checkout.apps as apps
from django.db import transaction
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.pay_view = get_class("checkout.views", "PayView")
        self.pay_resume_view = get_class("checkout.views", "PayResumeView")
        self.patient_details_view = get_class("checkout.views", "PatientDetailsView")

    def get_urls(self):
        urls = super().get_urls()
        # Not one request-wide transaction: the frozen basket and the PaymentIntent record
        # must be committed before Stripe is asked to take the money.
        urls += self.post_process_urls(
            [
                path("patient/", self.patient_details_view.as_view(), name="patient-details"),
                path(
                    "pay/",
                    transaction.non_atomic_requests(self.pay_view.as_view()),
                    name="pay",
                ),
                path(
                    "pay/resume/",
                    transaction.non_atomic_requests(self.pay_resume_view.as_view()),
                    name="pay-resume",
                ),
            ]
        )
        return urls
