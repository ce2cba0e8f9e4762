"""Owners and built-in workspaces."""

import hashlib

import pytest

from lib.workspace import (
    DemoCapReached,
    DemoLimits,
    demo_key_for,
    is_workspace_id,
    new_workspace_id,
    owner_id,
)


def test_owner_id_is_the_sha256_of_the_secret_never_the_secret():
    key = "sk_live_0123456789abcdef"
    assert owner_id(key) == hashlib.sha256(key.encode()).hexdigest()
    assert key not in owner_id(key)
    assert owner_id(key) != owner_id(key + "x")


def test_owner_id_refuses_an_empty_secret():
    with pytest.raises(ValueError, match="API key or a workspace id"):
        owner_id("  ")


def test_new_workspace_ids_are_url_safe_unique_and_recognised():
    ids = {new_workspace_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(is_workspace_id(i) for i in ids)


@pytest.mark.parametrize(
    "text", [None, "", "short", "has space in it 123456", "../../etc/passwd/aaaaaaaaaa", "x" * 65]
)
def test_malformed_workspace_ids_are_rejected(text):
    assert not is_workspace_id(text)


def test_a_workspace_keeps_its_demo_key_across_restarts(library, tmp_path):
    workspace = new_workspace_id()
    made = []

    def create_key():
        made.append(f"sk_demo_{len(made)}")
        return made[-1]

    assert demo_key_for(library, workspace, create_key) == "sk_demo_0"
    assert (
        demo_key_for(type(library)(library.db_path, library.audio_dir), workspace, create_key) == "sk_demo_0"
    )
    assert made == ["sk_demo_0"]
    assert demo_key_for(library, new_workspace_id(), create_key) == "sk_demo_1"
    library.remember_demo_key(workspace, "sk_demo_replaced")
    assert library.demo_key(workspace) == "sk_demo_replaced"


def test_a_tampered_workspace_id_gets_a_clear_error(library):
    with pytest.raises(ValueError, match="start a new workspace"):
        demo_key_for(library, "bad id", lambda: "sk_x")


@pytest.mark.parametrize(
    "text",
    [
        "a" * 20,  # the old 20-64 character shape
        "a" * 64,
        "aaaaaaaaaaaaaaaaaaaaab",  # 22 characters, but not what 16 bytes encode to
        "AAAAAAAAAAAAAAAAAAAAA=",
        "AAAAAAAAAAAAAAAAAAAA+A",
        "AAAAAAAAAAAAAAAAAAAAAA\n",
    ],
)
def test_only_the_minted_form_is_a_workspace_id(text):
    assert not is_workspace_id(text)


def test_new_workspaces_stop_at_the_hourly_and_daily_caps(library, clock):
    limits = DemoLimits(workspaces_per_hour=2, workspaces_per_day=3, credits=50)
    made = []

    def create_key():
        made.append(f"sk_demo_{len(made)}")
        return made[-1]

    first, second = new_workspace_id(), new_workspace_id()
    demo_key_for(library, first, create_key, limits)
    demo_key_for(library, second, create_key, limits)
    with pytest.raises(DemoCapReached, match="2 new workspaces for this hour"):
        demo_key_for(library, new_workspace_id(), create_key, limits)
    assert demo_key_for(library, first, create_key, limits) == "sk_demo_0"  # known workspaces still open
    clock.advance(3601)
    demo_key_for(library, new_workspace_id(), create_key, limits)
    clock.advance(3601)
    with pytest.raises(DemoCapReached, match="3 new workspaces for this day"):
        demo_key_for(library, new_workspace_id(), create_key, limits)
    assert len(made) == 3  # a refused workspace made no key on the engine


def test_demo_limits_come_from_settings_and_name_a_bad_one():
    given = {"AIMUSIC_DEMO_CREDITS": "75", "AIMUSIC_DEMO_WORKSPACES_PER_HOUR": " 5 "}
    limits = DemoLimits.from_settings(lambda name, default: given.get(name, default))
    assert limits == DemoLimits(workspaces_per_hour=5, workspaces_per_day=100, credits=75)
    with pytest.raises(ValueError, match="AIMUSIC_DEMO_CREDITS must be a whole number"):
        DemoLimits.from_settings(lambda name, default: "-1" if name == "AIMUSIC_DEMO_CREDITS" else default)
