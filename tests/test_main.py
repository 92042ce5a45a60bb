from fastapi.testclient import TestClient

from app.main import create_app


def test_health_says_ok():
    with TestClient(create_app()) as client:
        response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_index_page_renders():
    with TestClient(create_app()) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert "Boundary Lab" in response.text
