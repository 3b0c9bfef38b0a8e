from django.urls import path

from chapterhouse.production.proofs import views

urlpatterns = [
    path("proofs/<slug:slug>/", views.proof_rounds, name="proof_rounds"),
    path("proofs/<slug:slug>/open/", views.proof_round_open, name="proof_round_open"),
    path("proofs/rounds/<int:pk>/", views.proof_round, name="proof_round"),
    path("proofs/rounds/<int:pk>/close/", views.proof_round_close, name="proof_round_close"),
    path("proofs/chapters/<int:pk>/pass/", views.proof_pass, name="proof_pass"),
    path("proofs/corrections/<int:pk>/decide/", views.correction_decide, name="correction_decide"),
    path("my/chapters/<int:pk>/proofs/", views.my_proofs, name="my_proofs"),
    path("my/chapters/<int:pk>/proofs/pages/<int:page>.png", views.my_proof_page, name="my_proof_page"),
    path("my/chapters/<int:pk>/proofs.pdf", views.my_proof_pdf, name="my_proof_pdf"),
]
