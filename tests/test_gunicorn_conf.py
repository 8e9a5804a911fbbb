"""portal/gunicorn_conf.py: processes sized from the CPU count when the
rate-limit counters are shared (Redis), exactly one process when they are
in memory; the other production settings are valid gunicorn settings."""

from __future__ import annotations

import importlib

import pytest
from gunicorn.config import Config


@pytest.fixture
def load_conf(monkeypatch):
    def _load(cpus: int, **env: str):
        for name in ("PORTAL_REDIS_URL", "WEB_CONCURRENCY", "PORTAL_THREADS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr("os.cpu_count", lambda: cpus)
        from portal import gunicorn_conf
        return importlib.reload(gunicorn_conf)

    yield _load
    monkeypatch.undo()
    from portal import gunicorn_conf
    importlib.reload(gunicorn_conf)


@pytest.mark.parametrize("cpus, workers", [(1, 3), (2, 5), (4, 9), (16, 12)])
def test_with_redis_several_processes_from_the_cpu_count(load_conf, cpus, workers):
    conf = load_conf(cpus, PORTAL_REDIS_URL="redis://127.0.0.1:6379/0")
    assert (conf.workers, conf.threads) == (workers, 4)
    assert conf.max_requests > 0 and 0 < conf.max_requests_jitter < conf.max_requests
    # A worker takes about 1.5 s of CPU to start: recycled every few thousand
    # requests, the workers spend more time starting than serving under load.
    assert conf.max_requests - conf.max_requests_jitter >= 50_000


@pytest.mark.parametrize("cpus, threads", [(1, 8), (2, 8), (4, 16), (16, 32)])
def test_in_memory_counters_one_process_with_more_threads(load_conf, cpus, threads):
    conf = load_conf(cpus)
    assert (conf.workers, conf.threads) == (1, threads)
    # A recycled worker would start the counters from zero.
    assert conf.max_requests == 0


def test_web_concurrency_and_threads_override(load_conf):
    conf = load_conf(2, PORTAL_REDIS_URL="redis://127.0.0.1:6379/0", WEB_CONCURRENCY="3", PORTAL_THREADS="6")
    assert (conf.workers, conf.threads) == (3, 6)
    conf = load_conf(2, PORTAL_THREADS="12", WEB_CONCURRENCY="1")
    assert (conf.workers, conf.threads) == (1, 12)


def test_several_processes_without_redis_are_refused(load_conf):
    with pytest.raises(ValueError, match="WEB_CONCURRENCY=4 needs PORTAL_REDIS_URL"):
        load_conf(2, WEB_CONCURRENCY="4")
    with pytest.raises(ValueError, match="at least 1"):
        load_conf(2, PORTAL_THREADS="0")


def test_every_setting_is_one_gunicorn_accepts(load_conf):
    conf = load_conf(2, PORTAL_REDIS_URL="redis://127.0.0.1:6379/0")
    cfg = Config()
    names = [name for name in vars(conf) if name in cfg.settings]
    for name in names:
        cfg.set(name, getattr(conf, name))
    assert {"workers", "threads", "worker_class", "timeout", "graceful_timeout", "keepalive",
            "max_requests", "max_requests_jitter", "logger_class", "access_log_format"} <= set(names)
    assert cfg.graceful_timeout >= 10 and cfg.timeout >= cfg.keepalive
    assert cfg.worker_class_str == "gthread" and cfg.accesslog is None
    assert cfg.logger_class.__name__ == "AccessLogger"
