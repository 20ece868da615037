"""The owner's loyalty pages, mounted at /dashboard/loyalty/ in the ``loyalty_dashboard`` namespace."""

from django.urls import path

from .views import dashboard, dashboard_gift_cards, dashboard_points

urlpatterns = [
    path("", dashboard.index, name="index"),
    path("settings/", dashboard.program_settings, name="settings"),
    path("settings/preview/", dashboard.settings_preview, name="settings_preview"),
    path("points/", dashboard_points.report, name="report"),
    path("points/adjust/", dashboard_points.adjust, name="adjust"),
    path("points/exports/", dashboard_points.export_request, name="export_request"),
    path("points/exports/<int:pk>/", dashboard_points.export_status, name="export_status"),
    path("points/exports/<int:pk>/download/", dashboard_points.export_download, name="export_download"),
    path("clients/search/", dashboard_points.client_search, name="client_search"),
    path("clients/<int:pk>/history/", dashboard.client_history, name="client_history"),
    path("gift-cards/", dashboard_gift_cards.gift_cards, name="gift_cards"),
    path("gift-cards/orders/<int:pk>/refund/", dashboard_gift_cards.refund_sale, name="refund_sale"),
    path(
        "gift-cards/refunds/<int:pk>/retry/", dashboard_gift_cards.retry_sale_refund, name="retry_sale_refund"
    ),
    path("gift-cards/issue/", dashboard_gift_cards.issue, name="issue"),
    path("gift-cards/products/", dashboard_gift_cards.products, name="products"),
    path("gift-cards/products/new/", dashboard_gift_cards.product_new, name="product_new"),
    path("gift-cards/products/<int:pk>/", dashboard_gift_cards.product_edit, name="product_edit"),
]
