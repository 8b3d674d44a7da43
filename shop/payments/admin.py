from django.contrib import admin

from shop.payments.models import PaymentIntent, WebhookEvent


@admin.register(PaymentIntent)
class PaymentIntentAdmin(admin.ModelAdmin):
    list_display = ("intent_id", "order_number", "amount", "status", "order", "problem")
    list_filter = ("status",)
    search_fields = ("intent_id", "order_number")
    readonly_fields = [f.name for f in PaymentIntent._meta.fields]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "type", "object_id", "outcome", "received_at")
    list_filter = ("type",)
    readonly_fields = [f.name for f in WebhookEvent._meta.fields]
