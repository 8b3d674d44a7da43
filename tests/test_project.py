"""The project as an operator meets it: checks, migrations, settings, the Docker stack."""

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x7Qp9Lm2Vb8Nc4Zr6Ts1Wd5Yh0Fg3Jk" * 2,
    "ALLOWED_HOSTS": "shop.liangyi-tcm.example",
    "DATABASE_URL": "postgres://shop:pw@127.0.0.1:5432/shop",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://user:pw@smtp.example.com:587",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
    "GST_REGISTRATION_NUMBER": "M90312345A",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    # Test-run settings that production never has.
    for name in ("STATIC_MANIFEST", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        clean.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_system_checks_pass():
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_deploy_without_stripe_keys():
    env = {**PRODUCTION_ENV, "STRIPE_SECRET_KEY": ""}

    result = _manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "STRIPE_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_deploy_with_emails_written_to_files():
    env = {**PRODUCTION_ENV, "EMAIL_URL": ""}

    result = _manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "EMAIL_URL is not set" in result.stderr


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    settings_source = (ROOT / "shop" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))

    internal = {"SHOP_VAR_DIR", "SHOP_LOCAL_DEMO", "STATIC_MANIFEST", "LOG_LEVEL"}
    internal |= {"CELERY_QUEUE", "CACHE_KEY_PREFIX", "DB_CONN_MAX_AGE", "MEDIA_ROOT"}
    internal |= {"WHOOSH_PATH", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    internal |= {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    assert read - internal - documented == set()


def test_env_example_blanks_no_setting_that_has_a_default():
    settings_source = (ROOT / "shop" / "settings.py").read_text()
    with_default = set(re.findall(r'env\.str\(\s*"([A-Z_]+)",\s*default="[^"]', settings_source))
    blank = set(re.findall(r"^([A-Z_]+)=$", (ROOT / ".env.example").read_text(), re.M))

    # A variable set to nothing is "" in the settings, not the default: the clinic's footer
    # and emails would lose their address, phone and email.
    assert with_default and blank & with_default == set()


class TestDockerCompose:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    def test_it_runs_the_whole_stack(self):
        assert set(self.services) == {"postgres", "redis", "web", "worker", "beat"}

    def test_web_migrates_loads_the_catalogue_and_serves_with_gunicorn(self):
        command = self.services["web"]["command"]
        assert command.index("migrate") < command.index("load_catalogue")
        assert command.index("load_catalogue") < command.index("gunicorn shop.wsgi")
        assert self.services["web"]["build"] == "."

    def test_worker_and_beat_run_celery_from_the_worker_package(self):
        assert self.services["worker"]["command"].startswith("celery -A worker worker")
        assert self.services["beat"]["command"].startswith("celery -A worker beat")

    @pytest.mark.parametrize("name", ["web", "worker", "beat"])
    def test_the_shop_gets_its_database_broker_and_secrets(self, name):
        env = self.services[name]["environment"]
        assert (
            env["DATABASE_URL"].startswith("postgres://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["DEBUG"] == "false"
        for secret in ("SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "EMAIL_URL"):
            assert env[secret].startswith("${" + secret + ":?"), secret

    def test_the_image_installs_the_locked_dependencies(self):
        dockerfile = (ROOT / "Dockerfile").read_text()
        assert "pip install -c requirements.lock -r /tmp/runtime.txt" in dockerfile
        assert "collectstatic" in dockerfile
        assert re.search(r"^USER shop$", dockerfile, re.M)

    def test_the_image_has_the_system_packages_the_invoices_need(self):
        """WeasyPrint needs Pango and the fonts that `make system-packages` installs."""
        dockerfile = (ROOT / "Dockerfile").read_text()
        makefile = (ROOT / "Makefile").read_text()
        packages = re.search(r"^SYSTEM_PACKAGES := (.+)$", makefile, re.M).group(1).split()

        assert "apt-get install" in dockerfile
        assert [p for p in packages if p not in dockerfile] == []

    def test_the_shop_user_owns_every_folder_a_volume_is_mounted_on(self):
        dockerfile = (ROOT / "Dockerfile").read_text()
        made = re.search(r"mkdir -p ([^&]+)&& chown -R shop /app/var", dockerfile)
        assert made, "the image makes its var/ folders and gives them to the shop user"
        mounts = {
            volume.split(":")[1]
            for name in ("web", "worker")
            for volume in self.services[name].get("volumes", [])
        }

        assert mounts and mounts <= set(made.group(1).split())


def test_production_sends_http_to_https_and_marks_every_cookie_secure():
    script = (
        "import json; from django.conf import settings; from django.test import Client; "
        "r = Client().get('/basket/', HTTP_HOST='shop.liangyi-tcm.example'); "
        "names = ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'OSCAR_BASKET_COOKIE_SECURE', "
        "'OSCAR_RECENTLY_VIEWED_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'X_FRAME_OPTIONS', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY']; "
        "print(json.dumps({'redirect': [r.status_code, r['Location']], "
        "**{n: getattr(settings, n) for n in names}}))"
    )

    result = _manage("shell", "-c", script, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer.pop("redirect") == [301, "https://shop.liangyi-tcm.example/basket/"]
    assert answer == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "OSCAR_BASKET_COOKIE_SECURE": True,
        "OSCAR_RECENTLY_VIEWED_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
    }


# Modules of the local stack alone (`make run`, tests): never imported by the deployed shop.
LOCAL_ONLY_MODULES = {ROOT / "shop" / "payments" / "localstripe.py"}


def _runtime_distributions() -> set[str]:
    """Return the distributions `pip install .` brings, without the dev extra (transitively)."""
    import importlib.metadata as metadata
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    todo = [Requirement(spec) for spec in project["dependencies"]]
    found: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = metadata.distribution(requirement.name).metadata["Name"].lower()
        if name in found:
            continue
        found.add(name)
        for spec in metadata.requires(requirement.name) or []:
            sub = Requirement(spec)
            wanted = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in wanted):
                todo.append(sub)
    return found


def test_every_package_the_shop_imports_is_a_runtime_dependency():
    import ast
    import importlib.metadata as metadata

    owners = metadata.packages_distributions()
    imported = {}
    folders = ("shop", "worker")
    for path in [path for folder in folders for path in (ROOT / folder).rglob("*.py")]:
        if path in LOCAL_ONLY_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                for dist in owners.get(name.split(".")[0], []):
                    imported.setdefault(dist.lower(), path.relative_to(ROOT))

    missing = {dist: str(path) for dist, path in imported.items()}
    for dist in _runtime_distributions():
        missing.pop(dist, None)
    assert missing == {}


# --- Celery: tasks found beside their services, under their stable names -----------------


def _fresh_process(code: str) -> dict:
    """Run `code` in a new Python process of the shop; return the JSON its last line prints."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_worker_finds_every_task_under_its_stable_name_and_beat_schedules_only_those():
    # A fresh process, as the worker starts: autodiscovery alone must register the tasks.
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from worker.celery import app; app.loader.import_default_modules(); "
        "print(json.dumps({'tasks': sorted(app.tasks), "
        "'beat': sorted(e['task'] for e in settings.CELERY_BEAT_SCHEDULE.values())}))"
    )
    found = _fresh_process(code)

    # The names of the former worker/tasks.py: tasks queued before a deploy still run.
    assert {
        "worker.tasks.confirmation_send_task",
        "worker.tasks.confirmations_sweep_task",
        "worker.tasks.accounting_monthly_export_send",
        "worker.tasks.accounting_export_job_run",
        "worker.tasks.accounting_export_jobs_sweep",
        "shop.notifications.outbox_email_send",
    } <= set(found["tasks"])
    assert set(found["beat"]) <= set(found["tasks"])
    assert not (ROOT / "worker" / "tasks.py").exists()


def test_a_web_process_keeps_its_long_lived_objects_out_of_the_garbage_collector():
    # Each gunicorn worker imports shop.wsgi: the views are loaded there and frozen, so that a
    # full collection has little to walk (it stalled a worker 100-400 ms every few thousand
    # requests before).
    code = (
        "import gc, sys, json; from shop.wsgi import application; "
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'tracked': len(gc.get_objects()), "
        "'views': 'shop.catalogue.views' in sys.modules}))"
    )
    found = _fresh_process(code)

    assert found["views"], "the storefront's views are imported before the first request"
    assert found["frozen"] > 20 * found["tracked"]
