"""Run a command against a throwaway PostgreSQL cluster, then remove the cluster.

    python scripts/with_postgres.py -- pytest ...

Uses Debian's server binaries (initdb, pg_ctl) from /usr/lib/postgresql/<v>/bin
in a temporary directory, on a free port, reachable over a Unix socket and
127.0.0.1. initdb refuses to run as root, so as root the cluster runs as the
``postgres`` user. The command gets DATABASE_URL; its exit status is returned.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def find_bin_dir() -> Path:
    configured = os.environ.get("PG_BIN")
    if configured:
        return Path(configured)
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    sys.exit(
        "PostgreSQL server binaries not found. Install them with "
        "`sudo apt-get install postgresql` (or set PG_BIN)."
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        sys.exit("usage: with_postgres.py -- COMMAND [ARGS...]")
    bin_dir = find_bin_dir()
    as_root = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="roundtable-pg-"))
    data, sockets = workdir / "data", workdir / "run"
    sockets.mkdir()
    prefix: list[str] = []
    user = pwd.getpwuid(os.geteuid()).pw_name
    if as_root:
        user = "postgres"
        record = pwd.getpwnam(user)
        os.chown(workdir, record.pw_uid, record.pw_gid)
        os.chown(sockets, record.pw_uid, record.pw_gid)
        prefix = ["runuser", "-u", user, "--"]
    port = free_port()
    log = workdir / "server.log"

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
        for _attempt in range(50):
            ready = subprocess.run(
                [str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                stdout=subprocess.DEVNULL,
            )
            if ready.returncode == 0:
                break
            time.sleep(0.2)
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", user, "roundtable")
        env = {**os.environ, "DATABASE_URL": f"postgres://{user}@127.0.0.1:{port}/roundtable"}
        print(f"PostgreSQL {bin_dir.parent.name} running on port {port} in {workdir}", flush=True)
        return subprocess.run(argv, env=env).returncode
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
