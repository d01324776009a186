from django.urls import include, path

from tuoyu.kernel.manifest import url_patterns
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
    path("policy/", include(policy_patterns)),
    # Every installed package's own URLs, as it declares them (tuoyu.kernel.manifest).
    *url_patterns(),
]
