from django.urls import include, path

from tuoyu.site import policy, views

policy_patterns = (
    [
        path("", policy.profiles, name="list"),
        path("compare/", policy.compare, name="diff"),
        path("<str:name>/", policy.profile, name="profile"),
    ],
    "policy",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("tuoyu.accounts.urls")),
    path("policy/", include(policy_patterns)),
    path("", include("tuoyu.registry.urls")),
    path("", include("tuoyu.operations.urls")),
    path("", include("tuoyu.audit.urls")),
    path("", include("tuoyu.messaging.urls")),
    path("", include("tuoyu.filings.urls")),
    path("", include("tuoyu.enrollment.urls")),
    path("", include("tuoyu.planning.urls")),
]
