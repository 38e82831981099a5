"""The two locks: production installs requirements.lock alone; the suite runs on
requirements-dev.lock, which must pin every one of production's packages at the same version, so
that what is tested is what a council's server runs."""

import re
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    text = (PROJECT / lock).read_text()
    return {normalised(name): version for name, version in PIN.findall(text)}


def declared(requirements: list[str]) -> set[str]:
    return {normalised(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in requirements}


def test_the_development_lock_pins_every_production_package_at_the_same_version():
    production, development = pins("requirements.lock"), pins("requirements-dev.lock")

    assert production
    assert {name: development.get(name) for name in production} == production


def test_production_installs_none_of_the_development_tools():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    tools = declared(project["optional-dependencies"]["dev"])

    assert not tools & declared(project["dependencies"])
    assert not tools & set(pins("requirements.lock"))
    assert tools <= set(pins("requirements-dev.lock"))
