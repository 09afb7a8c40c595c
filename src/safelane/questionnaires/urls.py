from django.urls import path

from safelane.questionnaires import link, views

app_name = "questionnaires"
BASE = "o/<slug:org_slug>/questionnaires/"

urlpatterns = [
    path(BASE, views.questionnaire_list, name="list"),
    path(f"{BASE}<int:pk>/", views.questionnaire_detail, name="detail"),
    path(f"{BASE}<int:pk>/revoke/", views.link_revoke, name="revoke"),
    path(f"{BASE}<int:pk>/reissue/", views.link_reissue, name="reissue"),
    path(f"{BASE}<int:pk>/corrections/", views.corrections, name="corrections"),
    path(f"{BASE}<int:pk>/accept/", views.accept, name="accept"),
    path(f"{BASE}answers/<int:pk>/score/", views.answer_score, name="score"),
    path(f"{BASE}answers/<int:pk>/action/", views.answer_action, name="answer_action"),
    path(f"{BASE}documents/<int:pk>/download/", views.document_download, name="document"),
    # `pk` names the partner the questionnaire goes to.
    path(f"{BASE}send/<int:pk>/", views.send, name="send"),
    path(f"{BASE}templates/", views.template_list, name="templates"),
    path(f"{BASE}templates/load/", views.templates_load, name="templates_load"),
    path(f"{BASE}templates/new/", views.template_create, name="template_create"),
    path(f"{BASE}templates/<int:pk>/", views.template_detail, name="template"),
    path(f"{BASE}templates/<int:pk>/edit/", views.template_save, name="template_save"),
    path(f"{BASE}templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
    path(f"{BASE}templates/<int:pk>/archive/", views.template_archive, name="template_archive"),
    path(f"{BASE}templates/<int:pk>/questions/", views.question_add, name="question_add"),
    path(f"{BASE}questions/<int:pk>/edit/", views.question_save, name="question_save"),
    path(f"{BASE}questions/<int:pk>/move/", views.question_move, name="question_move"),
    path(f"{BASE}questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    # The partner's link: no account, this one questionnaire and nothing else.
    path("q/<str:token>/", link.link, name="link"),
    path("q/<str:token>/save/", link.link_save, name="link_save"),
    path("q/<str:token>/submit/", link.link_submit, name="link_submit"),
    path("q/<str:token>/documents/<int:document>/", link.link_document, name="link_document"),
]
