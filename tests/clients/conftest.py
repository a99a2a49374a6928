"""Starts the real chartgate binary on a free port for the client tests."""
import os
import re
import subprocess

import pytest


@pytest.fixture(scope="session")
def gateway():
    binary = os.environ.get("GATEWAY_BIN", "target/debug/chartgate")
    proc = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    match = re.search(r"http://(\S+)", line)
    assert match, f"no listening line from chartgate: {line!r}"
    yield match.group(1)
    proc.terminate()
    assert proc.wait(timeout=15) == 0, "chartgate did not stop cleanly on SIGTERM"
