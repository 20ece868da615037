"""A signed-in client's loyalty pages, mounted under ``my/`` (namespace ``loyalty``)."""

from django.urls import path

from .views import client

app_name = "loyalty"

urlpatterns = [
    path("points/", client.my_points, name="my_points"),
    path("gift-cards/", client.gift_cards, name="gift_cards"),
    path("gift-cards/<int:product_id>/select/", client.buy_gift_card, name="buy_gift_card"),
    path("gift-cards/card/<int:pk>/gift-card.pdf", client.gift_card_pdf, name="gift_card_pdf"),
]
