from django.urls import path

from tuoyu.domains.filings import views

app_name = "filings"
urlpatterns = [
    path("filings/", views.index, name="index"),
    path("filings/queue/", views.queue, name="queue"),
    path("filings/start/<int:institution_pk>/", views.start, name="start"),
    path("filings/<int:pk>/", views.detail, name="detail"),
    path("filings/<int:pk>/findings/", views.live_findings, name="findings"),
    path("filings/<int:pk>/upload/", views.upload, name="upload"),
    path("filings/<int:pk>/commit/", views.commit, name="commit"),
    path("filings/<int:pk>/changes/", views.save_changes, name="changes"),
    path("filings/<int:pk>/placements/", views.save_placements, name="placements"),
    path("filings/<int:pk>/submit/", views.submit, name="submit"),
    path("filings/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("filings/<int:pk>/review/", views.review, name="review"),
    path("filings/<int:pk>/return/", views.return_filing, name="return"),
    path("filings/<int:pk>/accept/", views.accept, name="accept"),
    path("filings/<int:pk>/receipt.pdf", views.receipt, name="receipt"),
    path("filings/materials/<int:pk>/", views.download_material, name="material"),
    path("filings/materials/<int:pk>/remove/", views.remove_material, name="remove_material"),
    path("public/filings/", views.public_notices, name="public"),
]
