"""A K42 system booted for one benchmark run, beside the native side.

Every runner that compares a program under the Linux personality with the
same program natively (bench/read4k, bench/pipe, bench/process, bench/sdet)
boots linux.boot of the build on a socket of its own, in a temporary
folder, so that no system that happens to run elsewhere is measured, and
shuts it down and removes the folder however the run ends.
"""
import contextlib
import os
import shutil
import subprocess
import tempfile


class System:
    """The booted system's folder, the environment that reaches it (for
    k42-exec and the tools) and the native side's (without it)."""

    def __init__(self, build, folder):
        self.build = build
        self.folder = folder
        self.bin = os.path.join(build, "bin")
        self.k42_env = dict(os.environ,
                            K42_KERNEL_SOCKET=os.path.join(folder, "kernel.sock"))
        self.native_env = dict(os.environ)
        self.native_env.pop("K42_KERNEL_SOCKET", None)

    def tool(self, name):
        """The path of the build's program NAME (bin/NAME)."""
        return os.path.join(self.bin, name)


@contextlib.contextmanager
def booted(build, name):
    """Boots BUILD's linux.boot in a fresh folder named after benchmark
    NAME; yields the System; shuts it down and removes the folder."""
    folder = tempfile.mkdtemp(prefix=f"k42-bench-{name}.")
    system = System(build, folder)
    try:
        subprocess.run([system.tool("k42-kernel"), "--boot",
                        os.path.join(build, "boot", "linux.boot"), "--daemon"],
                       env=system.k42_env, check=True,
                       stdout=subprocess.DEVNULL)
        yield system
    finally:
        subprocess.run([system.tool("k42ctl"), "shutdown"], env=system.k42_env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)
