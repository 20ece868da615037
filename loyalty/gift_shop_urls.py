"""The public gift card page, mounted at ``/gift-cards/`` (namespace ``gift_shop``)."""

from django.urls import path

from .views import gift_shop

app_name = "gift_shop"

urlpatterns = [
    path("", gift_shop.buy, name="buy"),
    path("order/<str:token>/", gift_shop.order, name="order"),
    path("order/<str:token>/pay/", gift_shop.pay, name="pay"),
]
