from django.urls import path

from kaohe.appraisal import cadre_views, rules_views, views

app_name = "appraisal"

urlpatterns = [
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/compute", views.compute, name="compute"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/publish", views.publish, name="publish"),
    path("rounds/<int:pk>/finalise", views.finalise, name="finalise"),
    path("rounds/<int:pk>/appeal", views.appeal, name="appeal"),
    path("rounds/<int:pk>/awards", cadre_views.awards, name="awards"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("appeals/<int:pk>/resolve", views.resolve, name="resolve"),
    path("rules/", rules_views.rules, name="rules"),
    path("inputs/", views.inputs, name="inputs"),
    path("inputs/adjustment", views.adjustment, name="adjustment"),
    path("inputs/ratings", views.ratings, name="ratings"),
    path("inputs/higher", views.higher, name="higher"),
    path("cadres/", cadre_views.cadres, name="cadres"),
    path("cadres/<int:pk>/", cadre_views.cadre, name="cadre"),
    path("cadres/<int:pk>/action", cadre_views.cadre_action, name="cadre_action"),
]
