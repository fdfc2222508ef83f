"""A real pywb (the open-source Wayback) on 127.0.0.1, over a collection made from WARC files.

pywb patches the process with gevent when its app is imported, so it only ever runs as a subprocess.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def pywb_collection(folder: Path, warcs: list, name: str = "coll", timeout: float = 60):
    """Yields the collection's base URL, e.g. http://127.0.0.1:PORT/coll; stops pywb after."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([BIN / "wb-manager", "init", name], cwd=folder, check=True, capture_output=True, timeout=60)
    subprocess.run([BIN / "wb-manager", "add", name, *map(str, warcs)], cwd=folder, check=True, capture_output=True, timeout=120)
    port = free_port()
    log = open(folder / "pywb.log", "wb")
    server = subprocess.Popen([BIN / "wayback", "-b", "127.0.0.1", "-p", str(port)], cwd=folder, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}/{name}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}/cdx?url=example.com", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pywb did not start: {(folder / 'pywb.log').read_text()[-2000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
