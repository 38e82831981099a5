from benchmarks.run import REDIS_URL, _environment, database
from tests.sla_monitor.test_settings import run_manage

SHOW_CACHE = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"


def _cache_backend(mode: str) -> str:
    environment = _environment(1, mode, "/tmp/static")
    result = run_manage(
        "shell",
        "-c",
        SHOW_CACHE,
        **{key: environment[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CACHE_URL")},
        DJANGO_SETTINGS_MODULE=environment["DJANGO_SETTINGS_MODULE"],
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-1]


def test_a_cold_run_keeps_nothing_between_requests():
    assert _cache_backend("cold") == "django.core.cache.backends.dummy.DummyCache"


def test_a_warm_run_uses_the_shared_redis_cache():
    assert _cache_backend("warm") == "django.core.cache.backends.redis.RedisCache"
    assert _environment(1, "warm", "/tmp/static")["CACHE_URL"] == REDIS_URL


def test_each_scale_has_a_database_of_its_own():
    assert database(1) == "sla_bench"
    assert database(2) == "sla_bench_x2"
