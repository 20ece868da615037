"""Visitors asking one page as fast as they can: ``BENCH_PATH``, with ``HX-Request`` when ``BENCH_HTMX``."""

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/bench/floor")
HEADERS = {"HX-Request": "true"} if os.environ.get("BENCH_HTMX") else {}


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self) -> None:
        self.client.get(PATH, headers=HEADERS)
