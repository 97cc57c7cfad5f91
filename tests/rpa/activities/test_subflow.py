"""`flow.run` runs flows beside its own, never a path chosen to leave that folder."""

from __future__ import annotations

import pytest

from rpa.activities import subflow
from rpa.activities.context import Context
from rpa.errors import BusinessError


@pytest.mark.parametrize("path", ["/etc/passwd", "../other/evil.yaml", "sub/../../x.yaml"])
def test_flow_run_refuses_a_path_leaving_the_flows_folder(path: str) -> None:
    started: list[str] = []
    ctx = Context(run_id="r", flow="f", state="s", step=0, subflow=lambda p, i: started.append(p))
    with pytest.raises(BusinessError, match="must be a path inside this flow's folder"):
        subflow.run(ctx, path)
    assert started == []
