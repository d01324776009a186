from django.urls import path

from tuoyu.kernel.registry import account_views, api, calendar_views, region_views, views

app_name = "registry"
urlpatterns = [
    path("institutions/", views.ledger, name="ledger"),
    path("institutions/export/", views.export_ledger, name="export"),
    path("institutions/import/", views.import_ledger, name="import"),
    path("institutions/<int:pk>/edit/", views.edit, name="edit"),
    path("public/", views.public, name="public"),
    path("accounts/manage/", account_views.accounts, name="accounts"),
    path("calendar/", calendar_views.days, name="calendar"),
    path("calendar/remove/", calendar_views.remove, name="calendar_remove"),
    path("regions/import/", region_views.import_regions, name="import_regions"),
    path("population/import/", region_views.import_population, name="import_population"),
    path("accounts/manage/<int:pk>/<str:action>/", account_views.account_action, name="account_action"),
    path("api/v1/institutions/", api.institutions, name="api_institutions"),
    path("api/v1/institutions/<int:pk>/", api.institution, name="api_institution"),
    path("api/v1/public/institutions/", api.public_institutions, name="api_public"),
]
