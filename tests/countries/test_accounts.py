import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from core.permissions import editable_country_codes, is_hub_editor

pytestmark = pytest.mark.django_db


def create_accounts(*args):
    out = io.StringIO()
    call_command("create_accounts", *args, stdout=out)
    return dict(re.findall(r"^(\S+)\s+password: (\S+)", out.getvalue(), re.MULTILINE)), out.getvalue()


def can_log_in(username, password):
    return authenticate(RequestFactory().post("/admin/login/"), username=username, password=password) is not None


def test_create_accounts_prints_generated_passwords_that_work():
    passwords, _ = create_accounts()
    assert set(passwords) == {"hub-editor", "focal-point-ma"}
    assert passwords["hub-editor"] != passwords["focal-point-ma"]
    assert all(len(password) >= 16 for password in passwords.values())
    assert can_log_in("hub-editor", passwords["hub-editor"])
    assert can_log_in("focal-point-ma", passwords["focal-point-ma"])
    users = get_user_model().objects
    assert is_hub_editor(users.get(username="hub-editor"))
    focal_point = users.get(username="focal-point-ma")
    assert not is_hub_editor(focal_point)
    assert editable_country_codes(focal_point) == {"MA"}


def test_create_accounts_again_keeps_passwords_unless_asked():
    first, _ = create_accounts()
    again, output = create_accounts()
    assert again == {} and "password unchanged" in output
    assert can_log_in("hub-editor", first["hub-editor"])
    reset, _ = create_accounts("--reset-passwords")
    assert reset["hub-editor"] != first["hub-editor"]
    assert can_log_in("hub-editor", reset["hub-editor"])
    assert not can_log_in("hub-editor", first["hub-editor"])


def test_create_accounts_for_another_country():
    passwords, _ = create_accounts("--country", "tn")
    assert "focal-point-tn" in passwords
    assert editable_country_codes(get_user_model().objects.get(username="focal-point-tn")) == {"TN"}


def test_create_accounts_refuses_unknown_country():
    with pytest.raises(CommandError, match="Unknown country 'ZZ'"):
        create_accounts("--country", "ZZ")
