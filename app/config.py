"""Settings: every limit of the service, overridable by environment variables BOUNDARY_<NAME>."""

from functools import lru_cache

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOUNDARY_")

    app_name: str = "Boundary Lab"

    # sessions
    max_sessions: int = Field(200, ge=1, description="sessions kept; the least recently used go")
    session_ttl_seconds: float = Field(1800, gt=0, description="idle sessions expire after this")
    max_history: int = Field(20_000, ge=100, description="per-step history entries kept")
    redis_url: str | None = Field(
        None,
        description="e.g. redis://localhost:6379/0: sessions live in Redis, shared by "
        "every worker; unset, in this process's memory",
    )
    session_lock_seconds: float = Field(
        10,
        gt=0,
        description="Redis only: a session's lock lapses after this, so a killed "
        "worker cannot hold it longer; must exceed step_budget_seconds",
    )

    # work per request
    max_steps_per_request: int = Field(5000, ge=1)
    step_budget_seconds: float = Field(2.0, gt=0, description="wall clock per step request")
    max_grid_resolution: int = Field(200, ge=10)
    max_unit_resolution: int = Field(64, ge=8, description="per-neuron maps")
    max_parameters: int = Field(300_000, ge=1000, description="parameters in one network")
    max_request_bytes: int = Field(8_000_000, ge=10_000)

    # live stream
    max_stream_seconds: float = Field(300, gt=0)
    max_frames_per_second: float = Field(60, gt=0)
    max_steps_per_frame: int = Field(500, ge=1)

    @model_validator(mode="after")
    def _lock_outlives_a_request(self):
        if self.session_lock_seconds <= self.step_budget_seconds:
            raise ValueError("session_lock_seconds must exceed step_budget_seconds")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
