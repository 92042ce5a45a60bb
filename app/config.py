"""Settings, read from environment variables with the BOUNDARY_ prefix."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOUNDARY_")

    app_name: str = "Boundary Lab"


@lru_cache
def get_settings() -> Settings:
    return Settings()
