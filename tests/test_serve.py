"""`make run` says where the portal is served: the address the web server is given, not a fixed one."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def serve(tmp_path, address):
    """What ``scripts/serve`` prints, and the address its runserver got, with a stand-in for Python."""
    calls = tmp_path / "calls"
    stand_in = tmp_path / "python"
    # The worker's stand-in waits for the server's to have started: the script stops both when one ends.
    stand_in.write_text(
        f'#!/bin/sh\necho "$@" >> "{calls}"\n'
        f'case "$*" in *db_worker*) for i in $(seq 100); do grep -q runserver "{calls}" && exit 0; sleep 0.1; done;; esac\n'
    )
    stand_in.chmod(0o755)
    environment = {key: value for key, value in os.environ.items() if key != "PORTAL_ADDRESS"}
    environment["PY"] = str(stand_in)
    if address is not None:
        environment["PORTAL_ADDRESS"] = address
    result = subprocess.run(
        [ROOT / "scripts" / "serve"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=30
    )
    (runserver,) = [line.split()[-1] for line in calls.read_text().splitlines() if "runserver" in line]
    return result.stdout, runserver


@pytest.mark.parametrize(
    "address, shown, given",
    [
        (None, "http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("127.0.0.1:8123", "http://127.0.0.1:8123", "127.0.0.1:8123"),
        ("0.0.0.0:8080", "http://0.0.0.0:8080", "0.0.0.0:8080"),
        ("8123", "http://127.0.0.1:8123", "8123"),
        ("0:9000", "http://0.0.0.0:9000", "0:9000"),
        ("[::1]:8000", "http://[::1]:8000", "[::1]:8000"),
    ],
)
def test_the_address_printed_is_the_one_served(tmp_path, address, shown, given):
    printed, runserver = serve(tmp_path, address)

    assert f"Serving the portal at {shown} " in printed
    assert runserver == given


def test_make_run_leaves_the_address_to_the_script():
    """The Makefile printed a fixed address before the script started the server elsewhere."""
    makefile = (ROOT / "Makefile").read_text()
    assert "Serving the portal at" not in makefile
    assert "./scripts/serve" in makefile
