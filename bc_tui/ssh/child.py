"""One visitor's app: a child process on a pseudo-terminal of its own.

Each session runs the ordinary `python -m bc_tui ...` with Textual's stock driver, so what a
visitor sees over SSH is exactly what a local terminal shows, and one visitor's crash or hang
cannot touch another's. The parent only copies bytes between the pty master and the SSH
channel, forwards window sizes, and makes sure the child and everything it started are gone
(and reaped) when the session ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import signal
import struct
import termios
from collections.abc import Callable, Sequence

_READ_SIZE = 64 * 1024
# Input a visitor typed that the app has not read yet; past this the channel stops reading
# (SSH flow control then holds the client) instead of the server buffering without end.
_INPUT_HIGH_WATER = 64 * 1024


def _take_terminal() -> None:
    """Runs in the child between fork and exec: make the pty its controlling terminal.

    `start_new_session` already made the child a session leader without a terminal; stdin is
    the pty slave, and TIOCSCTTY attaches it, so the kernel delivers SIGWINCH (resizes) and
    hangups to the app. Only an ioctl runs here: no locks, no imports, nothing a thread of the
    parent could be holding at fork time.
    """
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def set_window_size(fd: int, columns: int, rows: int, xpixels: int = 0, ypixels: int = 0) -> None:
    """TIOCSWINSZ: on the master it also signals SIGWINCH to the pty's foreground group."""
    size = struct.pack("HHHH", max(rows, 1), max(columns, 1), xpixels, ypixels)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, size)


class PtyChild:
    """A child process attached to a pty, with the master end copied in both directions.

    Output: `on_output` is called with what the app wrote; `pause_output()` stops reading the
    master (the app then blocks on a full pty, which is the backpressure we want) until
    `resume_output()`. Input: `write()` never blocks; when the app is not reading, input
    queues up to a bound and `on_input_full(True/False)` asks the caller to stop/start reading
    from the client.
    """

    def __init__(self, process: asyncio.subprocess.Process, master: int) -> None:
        self.process = process
        self.pid = process.pid
        self._master = master
        self._loop = asyncio.get_running_loop()
        self._on_output: Callable[[bytes], None] = lambda _data: None
        self._on_input_full: Callable[[bool], None] = lambda _full: None
        self._reading = False
        self._output_paused = False
        self._output_closed = asyncio.Event()
        self._pending_input = bytearray()
        self._closed = False

    @classmethod
    async def spawn(
        cls,
        argv: Sequence[str],
        env: dict[str, str],
        columns: int,
        rows: int,
        cwd: str | None = None,
    ) -> PtyChild:
        master, slave = pty.openpty()
        try:
            set_window_size(slave, columns, rows)
            # No signals from keys: ctrl+z must not stop the app (nobody on the server side
            # could `fg` it) and ctrl+c/ctrl+\ must reach it as keys. Textual's driver turns
            # ISIG off too, but only once it has started; this covers the first half second.
            attrs = termios.tcgetattr(slave)
            attrs[3] &= ~termios.ISIG
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                cwd=cwd,
                start_new_session=True,
                preexec_fn=_take_terminal,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            # The parent must not keep the slave open, or the master never sees the hangup
            # (EIO) that says the app and everything it started have let go of the terminal.
            os.close(slave)
        os.set_blocking(master, False)
        return cls(process, master)

    # -- output: pty -> client ------------------------------------------------------------

    def start(
        self,
        on_output: Callable[[bytes], None],
        on_input_full: Callable[[bool], None],
    ) -> None:
        self._on_output = on_output
        self._on_input_full = on_input_full
        self._set_reading(True)

    def _set_reading(self, wanted: bool) -> None:
        wanted = wanted and not self._output_paused and not self._output_closed.is_set()
        if wanted and not self._reading:
            self._loop.add_reader(self._master, self._readable)
        elif not wanted and self._reading:
            self._loop.remove_reader(self._master)
        self._reading = wanted

    def _readable(self) -> None:
        try:
            data = os.read(self._master, _READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""  # EIO: every holder of the slave has closed it
        if not data:
            self._set_reading(False)
            self._output_closed.set()
            return
        self._on_output(data)

    def pause_output(self) -> None:
        """The client is not keeping up: stop reading, so the app waits on a full pty."""
        self._output_paused = True
        self._set_reading(False)

    def resume_output(self) -> None:
        self._output_paused = False
        self._set_reading(True)

    def stop_output(self) -> None:
        """Forward nothing more (the session is being ended by the server)."""
        self._on_output = lambda _data: None
        self._output_closed.set()
        self._set_reading(False)

    async def drain_output(self, timeout: float) -> None:
        """After the app exited: forward what it wrote last (its terminal restore codes)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._output_closed.wait(), timeout)

    # -- input: client -> pty -------------------------------------------------------------

    def write(self, data: bytes) -> None:
        if self._closed:
            return
        if self._pending_input:
            self._pending_input += data
        else:
            try:
                written = os.write(self._master, data)
            except (BlockingIOError, InterruptedError):
                written = 0
            except OSError:
                return  # the app is gone; its exit is handled elsewhere
            if written == len(data):
                return
            self._pending_input += data[written:]
            self._loop.add_writer(self._master, self._writable)
        if len(self._pending_input) > _INPUT_HIGH_WATER:
            self._on_input_full(True)

    def _writable(self) -> None:
        try:
            written = os.write(self._master, self._pending_input)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            written = len(self._pending_input)
        del self._pending_input[:written]
        if not self._pending_input:
            self._loop.remove_writer(self._master)
            self._on_input_full(False)

    # -- size, signals, exit --------------------------------------------------------------

    def resize(self, columns: int, rows: int, xpixels: int = 0, ypixels: int = 0) -> None:
        if not self._closed:
            set_window_size(self._master, columns, rows, xpixels, ypixels)

    def _signal_group(self, sig: signal.Signals) -> None:
        # Only while the leader is unreaped: after that its pid (= group id) may be reused.
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, sig)

    async def wait(self) -> int:
        return await self.process.wait()

    async def finish(self, grace: float) -> int:
        """End the app: SIGHUP (what a closed terminal sends), SIGKILL after `grace`; reap.

        SIGCONT follows the hangup so a stopped child still gets to act on it. Returns the
        exit status; the child is always reaped when this returns.
        """
        self._signal_group(signal.SIGHUP)
        self._signal_group(signal.SIGCONT)
        try:
            await asyncio.wait_for(asyncio.shield(self.process.wait()), grace)
        except TimeoutError:
            self._signal_group(signal.SIGKILL)
        status = await self.process.wait()
        self.close()
        return status

    def close(self) -> None:
        """Release the master (the kernel hangs up anything still on the pty)."""
        if self._closed:
            return
        self._closed = True
        self._set_reading(False)
        self._output_closed.set()
        if self._pending_input:
            self._loop.remove_writer(self._master)
            self._pending_input.clear()
        os.close(self._master)
