"""The Tasks page: the team's to-dos the "create a task" action makes, ticked off in place."""

from django.urls import reverse

from automations import services
from automations.models import Task

TASKS = reverse("automations_tasks:list")


def test_it_lists_open_tasks_and_filters_by_state_assignee_and_search(owner_client, olivia, sam, alice):
    services.create_task(title="Call Alice", client=alice, assignee=sam)
    services.create_task(title="Order mats", assignee=olivia)
    done = services.create_task(title="Old chore")
    services.complete_task(task=done)

    def titles(**params):
        return [task.title for task in owner_client.get(TASKS, params).context["page"].object_list]

    assert titles() == ["Call Alice", "Order mats"]
    assert titles(state="done") == ["Old chore"]
    assert titles(state="all", assignee=str(sam.pk)) == ["Call Alice"]
    assert titles(state="all", assignee="none") == ["Old chore"]
    assert titles(q="martin") == ["Call Alice"]


def test_it_ticks_a_task_done_and_undone_without_a_reload(owner_client, studio):
    task = services.create_task(title="Call Alice")
    url = reverse("automations_tasks:tick", args=[task.pk])

    done = owner_client.post(url, {"done": "1"}, headers={"HX-Request": "true"})
    assert Task.objects.get(pk=task.pk).is_done
    assert 'aria-checked="true"' in done.content.decode() and "<html" not in done.content.decode()

    owner_client.post(url, {"done": "0"}, headers={"HX-Request": "true"})
    assert not Task.objects.get(pk=task.pk).is_done


def test_it_paginates(owner_client, studio):
    for number in range(30):
        services.create_task(title=f"Task {number}")

    assert owner_client.get(TASKS).context["page"].paginator.num_pages == 2
