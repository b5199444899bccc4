"""Configuration from the environment (or a `.env` file): paths, service URLs, keys.

Keys are `SecretStr`: they never appear in reprs, logs, flow parameters or the database.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    litmine_db: Path = Path("data/litmine.duckdb")
    litmine_eutils_url: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    litmine_s2_url: str = "https://api.semanticscholar.org/graph/v1"
    litmine_epmc_url: str = "https://www.ebi.ac.uk/europepmc/webservices/rest"
    litmine_topics: Path = Path("flows/topics.toml")  # saved queries of the nightly ingestion
    litmine_reports_dir: Path = Path("reports")  # where searches and flows write their HTML reports
    litmine_dask_address: str | None = None  # e.g. tcp://scheduler:8786; unset = run in this process
    # optional: a spaCy / scispaCy NER model (package name or directory) whose entities add to the dictionary's
    litmine_ner_model: str | None = None
    litmine_cache_dir: Path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "litmine"
    ncbi_api_key: SecretStr | None = None
    ncbi_email: str | None = None
    s2_api_key: SecretStr | None = None


def get_settings() -> Settings:
    return Settings()
