"""Settings: every limit of the service, overridable by environment variables BOUNDARY_<NAME>."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOUNDARY_")

    app_name: str = "Boundary Lab"

    # sessions
    max_sessions: int = Field(200, ge=1, description="sessions kept; the least recently used go")
    session_ttl_seconds: float = Field(1800, gt=0, description="idle sessions expire after this")
    max_history: int = Field(20_000, ge=100, description="per-step history entries kept")

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


@lru_cache
def get_settings() -> Settings:
    return Settings()
