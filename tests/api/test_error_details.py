"""422 answers a page can put in a person's own words and language: each error's type, where it
is (1-based positions are the page's business), the bound and the refused value; and no answer
ever quotes Python."""

from app.api.schemas import MAX_JOB_STEPS
from app.engine import MAX_HIDDEN_LAYERS, MAX_UNITS
from app.training.jobs import FAILED_TEXT, Job, JobRunner
from app.training.session import TooManyParameters


def only_error(response):
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and len(detail) == 1, detail
    return detail[0]


def test_a_validators_message_comes_without_pydantics_prefix(client):
    config = {"dataset": {"name": "xor", "n_classes": 3}}
    error = only_error(client.post("/api/sessions", json=config))
    assert error["type"] == "value_error"
    assert error["msg"].startswith("n_classes for xor")
    assert "input" not in error  # a whole object is not quoted back


def test_too_much_work_for_a_job_names_the_total_and_the_limit(client):
    body = {"sizes": [2, 4, 8], "seeds": 20, "steps": 5000}
    error = only_error(client.post("/api/jobs/seed-variance", json=body))
    assert error["type"] == "too_much_work"
    assert error["ctx"] == {"total": 300_000, "limit": MAX_JOB_STEPS}


def test_a_network_over_the_cap_names_its_count_and_the_limit(make_client):
    client = make_client(max_parameters=1000)
    # [2-30-30-3]: 90 + 930 + 93 = 1113 parameters
    error = only_error(client.post("/api/sessions", json={"model": {"hidden": [30, 30]}}))
    assert error["type"] == "too_many_parameters"
    assert error["loc"] == ["body", "model", "hidden"]
    assert error["ctx"] == {"parameters": 1113, "limit": 1000}
    assert "fewer units or layers" in error["msg"]


def test_a_network_over_the_cap_is_refused_with_the_default_limit_too(client):
    hidden = [MAX_UNITS] * MAX_HIDDEN_LAYERS
    error = only_error(client.post("/api/sessions", json={"model": {"hidden": hidden}}))
    assert error["type"] == "too_many_parameters" and error["ctx"]["parameters"] > 300_000


def test_python_text_of_a_value_error_never_reaches_the_answer(client):
    # "abc" as a number of hidden units: the group's axis table says what it is not
    rows = {"axis": "hidden_units", "values": ["abc"]}
    response = client.post("/api/groups", json={"rows": rows})
    assert response.status_code == 422
    assert "int()" not in response.text and "literal" not in response.text


def test_the_sizing_count_takes_an_images_pixels_as_inputs(client):
    response = client.get("/api/parameters", params={"inputs": 784, "hidden": "100", "outputs": 10})
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 784 * 100 + 100 + 100 * 10 + 10


def test_stepping_a_diverged_run_says_its_weights_are_gone(client):
    session = client.post("/api/sessions", json={"training": {"learning_rate": 10, "l2": 10}})
    session_id = session.json()["id"]
    client.post(f"/api/sessions/{session_id}/step", json={"steps": 50, "grid": False})
    response = client.post(f"/api/sessions/{session_id}/step", json={"steps": 1})
    assert response.status_code == 409
    assert "blew up" in response.json()["detail"]


def test_a_job_failing_unexpectedly_reports_no_python_text():
    def work(job):
        return int("abc")

    job = Job("test", {}, work, 1)
    JobRunner._run(job)
    assert (job.status, job.error) == ("failed", FAILED_TEXT)


def test_a_job_failing_on_its_config_says_what_to_change():
    def work(job):
        raise TooManyParameters(400_000, 300_000)

    job = Job("test", {}, work, 1)
    JobRunner._run(job)
    assert job.error.startswith("the network has 400000 parameters")
