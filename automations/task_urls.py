"""The team's Tasks page, mounted at /dashboard/tasks/ (namespace ``automations_tasks``)."""

from django.urls import path

from .views import dashboard_tasks as tasks

urlpatterns = [
    path("", tasks.task_list, name="list"),
    path("<int:pk>/done/", tasks.tick, name="tick"),
]
