"""Replacing a run while one of its requests is still on the way (a new dataset, a new preset).

The page deletes the old session or group, but only after its last request is answered: sent at
once, the DELETE can overtake that request (the browser keeps several connections), which then
fails with 404 and says so in the console. Each test holds the request back to make the race
certain, and also checks that a run replaced before it even existed is deleted, not leaked."""

from playwright.sync_api import Page

from tests.browser.conftest import assert_clean
from tests.browser.test_playground import until, wait_for


class Hold:
    """Requests matching a URL pattern wait here until ``release``."""

    def __init__(self, page: Page, pattern: str):
        self.page, self.routes, self.released = page, [], False
        self.pattern = pattern
        page.route(pattern, self.keep)

    def keep(self, route) -> None:
        if self.released:
            route.continue_()
        else:
            self.routes.append(route)

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        until(lambda: len(self.routes) >= count, self.page, what=f"{count} held {self.pattern}")

    def ids(self) -> list[str]:
        """The session or group ids in the held URLs (…/{id}/step)."""
        return [route.request.url.rsplit("/", 2)[-2] for route in self.routes]

    def release(self) -> None:
        self.released = True
        for route in self.routes:
            route.continue_()


def requests_of(page: Page) -> list[tuple[str, str]]:
    """(method, path) of every request the page sends from now on."""
    sent = []
    page.on("request", lambda request: sent.append((request.method, request.url.split("/", 3)[3])))
    return sent


def deleted(sent) -> set[str]:
    return {path.rsplit("/", 1)[1] for method, path in sent if method == "DELETE"}


def count(sent, method: str, suffix: str) -> int:
    return sum(1 for m, path in sent if m == method and path.split("?")[0].endswith(suffix))


def test_the_neuron_pair_is_deleted_only_after_its_step_is_answered(page):
    sent = requests_of(page)
    steps = Hold(page, "**/api/sessions/*/step")
    page.goto("/experiments/neuron")
    steps.wait_for(2)
    assert not page.evaluate("window.renderedFrames"), "a frame counted before any arrived"
    old = set(steps.ids())
    page.select_option("#dataset", "xor")
    until(lambda: count(sent, "GET", "/data") == 4, page, what="the xor pair's data")
    # a DELETE sent at once would have gone before these (requests are seen in sending order)
    assert not deleted(sent), "the old pair was deleted while its step was on the way"
    steps.release()
    until(lambda: deleted(sent) == old, page, what="the old pair's deletion")
    wait_for(page, "window.renderedFrames >= 1")
    assert page.locator("#message").is_hidden()
    assert_clean(page)


def test_a_neuron_pair_replaced_before_it_was_created_is_deleted(page):
    sent = requests_of(page)
    created = []
    page.on("response", lambda r: r.request.method == "POST" and created.append(r))
    creations = Hold(page, "**/api/sessions")
    page.goto("/experiments/neuron")
    creations.wait_for(2)
    page.select_option("#dataset", "xor")
    creations.wait_for(4)
    creations.release()
    until(lambda: len(deleted(sent)) == 2, page, what="two deletions")
    wait_for(page, "window.renderedFrames >= 1")
    sessions = [(r.request.post_data_json["dataset"]["name"], r.json()["id"])
                for r in created if r.url.endswith("/api/sessions")]  # fmt: skip
    assert sorted(name for name, _ in sessions) == ["linear", "linear", "xor", "xor"]
    assert deleted(sent) == {id for name, id in sessions if name == "linear"}
    page.click("#step")  # the current pair still answers: a deleted one would 404 and be rebuilt
    wait_for(page, "window.renderedFrames >= 2")
    assert len(deleted(sent)) == 2, "a current session was deleted"
    assert count(sent, "POST", "api/sessions") == 4 and page.locator("#message").is_hidden()
    assert_clean(page)


def test_the_playground_deletes_a_replaced_session_after_its_step_is_answered(page):
    sent = requests_of(page)
    creations = Hold(page, "**/api/sessions")
    page.goto("/")
    creations.wait_for(1)
    page.click("#datasets .thumb[data-name=xor]")  # replaces a session not yet created
    creations.wait_for(2)
    steps = Hold(page, "**/api/sessions/*/step")
    creations.release()
    steps.wait_for(1)  # the xor session's first step; the first session was never current
    until(lambda: len(deleted(sent)) == 1, page, what="the never-current session's deletion")
    current = steps.ids()[0]
    assert current not in deleted(sent)
    page.click("#datasets .thumb[data-name=moons]")
    until(lambda: count(sent, "GET", "/data") == 3, page, what="the moons session's data")
    # a DELETE sent at once would have gone before it (requests are seen in sending order)
    assert current not in deleted(sent), "deleted while its step was on the way"
    steps.release()
    until(lambda: current in deleted(sent), page, what="the xor session's deletion")
    wait_for(page, "window.renderedFrames >= 1")
    assert page.locator("#message").is_hidden()
    assert_clean(page)


def test_the_grid_deletes_a_replaced_group_after_its_step_is_answered(page):
    sent = requests_of(page)
    steps = Hold(page, "**/api/groups/*/step*")
    page.goto("/experiments/grid")
    steps.wait_for(1)
    old = steps.ids()[0]
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/groups")):
        page.select_option("#preset", "lambda")
    # the new group exists: a DELETE sent at once would have gone before its answer came back
    assert not deleted(sent), "the old group was deleted while its step was on the way"
    steps.release()
    until(lambda: deleted(sent) == {old}, page, what="the old group's deletion")
    wait_for(page, "window.renderedFrames >= 1")
    assert page.evaluate("window.renderedFrames") == 1, "the replaced group's frame was drawn"
    assert page.locator("#message").is_hidden()
    assert_clean(page)
