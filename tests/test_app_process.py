"""`minsheng app` stops the Streamlit server it started when it is stopped (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

MINSHENG = str(Path(sys.executable).parent / "minsheng")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux /proc)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out += [int(x) for x in text]
    return out


def alive(pid: int) -> bool:
    """True while `pid` is a process that has not ended (a zombie has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_minsheng_app_stops_its_streamlit_server(sig):
    port = free_port()
    app = subprocess.Popen(
        [MINSHENG, "app", "--port", str(port), "--host", "127.0.0.1", "--headless"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    servers: list[int] = []
    try:
        deadline = time.monotonic() + 90
        while not answers(port):
            assert app.poll() is None, "minsheng app ended before serving"
            assert time.monotonic() < deadline, "the app never answered"
            time.sleep(0.3)
        servers = children(app.pid)
        assert servers and all(alive(p) for p in servers)
        # the server runs in its own process group, so only our forwarding can stop it
        assert all(os.getpgid(p) != os.getpgid(app.pid) for p in servers)
        app.send_signal(sig)
        assert app.wait(timeout=15) == 0
        deadline = time.monotonic() + 5
        while any(alive(p) for p in servers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(p) for p in servers)
        assert not answers(port)
    finally:  # a failing run leaves nothing behind
        if app.poll() is None:
            app.kill()
            app.wait()
        for p in servers:
            if alive(p):
                os.kill(p, signal.SIGKILL)
