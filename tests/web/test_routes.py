"""The routers' order is free (the busiest go first): no route of one router can take a request
meant for a route of another."""

from __future__ import annotations

import re

from certprep.web.factory import ROUTERS


def _sample(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", path)


def test_no_route_of_one_router_matches_a_path_of_another() -> None:
    routes = [
        (module.__name__, method, route.path, route.path_regex)
        for module in ROUTERS
        for route in module.router.routes
        for method in route.methods
    ]
    assert len(routes) > 50
    clashes = [
        (a_path, b_path)
        for i, (a_mod, a_method, a_path, a_regex) in enumerate(routes)
        for b_mod, b_method, b_path, b_regex in routes[i + 1 :]
        if a_mod != b_mod
        and a_method == b_method
        and (a_regex.match(_sample(b_path)) or b_regex.match(_sample(a_path)))
    ]
    assert clashes == []
