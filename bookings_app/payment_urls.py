"""Online payments' URLs: the client's pay pages and the providers' webhook (``/pay/``), and the
owner's refunds (``/dashboard/payments/``)."""

from django.urls import path

from .views import dashboard_payments, payments

public = [
    path("webhook/<slug:provider_name>/", payments.webhook, name="webhook"),
    path("<str:token>/", payments.pay, name="pay"),
    path("<str:token>/checkout/", payments.go_to_checkout, name="checkout"),
    path("<str:token>/test/", payments.test_checkout, name="test_checkout"),
]

dashboard = [
    path("<int:pk>/refund/", dashboard_payments.refund, name="refund"),
    path("refunds/<int:pk>/retry/", dashboard_payments.retry, name="retry_refund"),
]
