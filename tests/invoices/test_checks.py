"""The deploy check: a GST-registered shop needs its GST registration number on invoices."""

from tests.test_project import PRODUCTION_ENV, _manage


def test_a_gst_registered_shop_refuses_to_deploy_without_its_gst_number():
    result = _manage("check", "--deploy", env={**PRODUCTION_ENV, "GST_REGISTRATION_NUMBER": ""})

    assert result.returncode != 0
    assert "GST_REGISTRATION_NUMBER is not set" in result.stdout + result.stderr


def test_a_shop_not_registered_for_gst_deploys_without_one():
    env = {**PRODUCTION_ENV, "GST_REGISTRATION_NUMBER": "", "GST_REGISTERED": "false"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
