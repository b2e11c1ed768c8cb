"""pytest plugin for testing relocated code with rig (registered as `pytest11`).

Fixtures: `rig_target` (parametrised over `--rig-targets`, default all four)
and `jit` (a fresh `rig.Jit` for that target).  Hypothesis profiles: `ci`
(50 examples, derandomized, no deadline), `dev` (20), `fuzz` (10,000) and
`rig` (Hypothesis's defaults without the deadline); choose one with
`--hypothesis-profile`.  The default is `ci` under CI (the `CI` environment
variable), else `rig`.

    from hypothesis import given
    from rig.strategies import placements
    from rig.properties import check_placement

    def test_my_ir(jit):
        probe = jit.load("my.ll"); jit.unload(probe)
        @given(placements(jit, probe))
        def prop(p):
            check_placement(jit, "my.ll", [("f", (3,))], p)
        prop()
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

TARGETS = ("x86_64", "arm", "thumb", "aarch64")

settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile("dev", max_examples=20, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
# Hypothesis's defaults, less the 200 ms deadline: a first call compiles, and emulation is slow.
settings.register_profile("rig", deadline=None)


def pytest_addoption(parser):
    """--rig-targets: which targets `rig_target` runs over."""
    group = parser.getgroup("rig")
    group.addoption("--rig-targets", default=",".join(TARGETS),
                    help="comma-separated targets for the rig_target fixture (default: all four)")


def pytest_configure(config):
    """Unless a profile was chosen: `ci` under CI, else `rig` (no deadline)."""
    if not config.getoption("hypothesis_profile", default=None):
        settings.load_profile("ci" if os.environ.get("CI") else "rig")
    unknown = [t for t in _chosen(config) if t not in TARGETS]
    if unknown:
        raise pytest.UsageError(f"--rig-targets: unknown target(s) {', '.join(unknown)}; "
                                f"choose from {', '.join(TARGETS)}")


def _chosen(config):
    return [t.strip() for t in config.getoption("rig_targets").split(",") if t.strip()]


def pytest_generate_tests(metafunc):
    """Parametrise `rig_target` over --rig-targets."""
    if "rig_target" in metafunc.fixturenames:
        metafunc.parametrize("rig_target", _chosen(metafunc.config))


@pytest.fixture
def jit(rig_target):
    """A fresh `rig.Jit` for `rig_target`, closed afterwards."""
    import rig
    j = rig.Jit(rig_target, seed=0)
    yield j
    j.close()
