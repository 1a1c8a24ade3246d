"""The settings object: saved in the manifest, read back, overridden for one run."""

from __future__ import annotations

import pytest

from index.settings import Settings, SettingsError


def test_round_trip_through_the_manifest_form():
    s = Settings().override(["fusion.dense=0.4", "experts.top_weights=[1, 0.5]", "strong.e5-small.dense=0.8"])
    back = Settings.from_dict(s.to_dict())
    assert back == s
    assert back.fusion.dense == 0.4 and back.fusion.lexical == Settings().fusion.lexical
    assert back.experts.top_weights == (1, 0.5)
    assert back.strong_for("e5-small").dense == 0.8
    assert back.strong_for("some-other-encoder") == Settings().strong["default"]


def test_missing_keys_keep_defaults_so_older_manifests_load():
    assert Settings.from_dict({"fusion": {"dense": 0.5}}).search == Settings().search
    assert Settings.from_dict(None) == Settings()


@pytest.mark.parametrize(
    "assignment, message",
    [
        ("fusion.densee=0.4", "no setting 'fusion.densee'"),
        ("fusion.dense", "expected SECTION.NAME=VALUE"),
        ("fusion.dense=abc", "not a number"),
        ("search.max_k=true", "expected a value like 100"),
        ("nosuch.x=1", "no setting 'nosuch.x'"),
    ],
)
def test_bad_overrides_say_what_is_wrong(assignment, message):
    with pytest.raises(SettingsError, match=message):
        Settings().override([assignment])


def test_unknown_section_in_a_manifest_is_an_error():
    with pytest.raises(SettingsError, match="unknown settings section 'fuzion'"):
        Settings.from_dict({"fuzion": {"dense": 0.4}})


def test_an_override_changes_the_ranking(engine):
    """The engine really uses its settings: all weight on the dense side ranks as the dense baseline."""
    dense_only = engine.with_settings(["fusion.dense=1.0", "fusion.lexical=0.0"])
    query = "扩散模型 逆问题"
    hybrid = [h.id for h in dense_only.search(query, k=10).hits]
    dense = [h.id for h in engine.search(query, k=10, method="dense").hits]
    assert hybrid == dense
    assert [h.id for h in engine.search(query, k=10).hits] != dense
