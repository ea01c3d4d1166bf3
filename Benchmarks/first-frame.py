#!/usr/bin/env python3
"""The explorer's first frame, timed as a user sees it (Benchmarks/scale.sh).

    first-frame.py [--runs N] [--view NAME] QCOWSCOPE IMAGE

Starts `QCOWSCOPE explore IMAGE` in a pseudo-terminal of 200x60 cells (TERM=xterm-256color) and
measures the wall time from the fork to the moment the terminal has received the first frame:
the status line's "q quit" hint (drawn with every frame) and the view's own title. The scan goes
on in the background by design; the first frame must not wait for it. Then it sends q and
reaps the process (a run whose explorer does not quit within 30 s is killed and fails).
Prints the median in milliseconds, then every run's time.
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def one_run(binary, image, view, marks):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        os.execv(binary, [binary, "explore", "--view", view, image])
    start = time.monotonic()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
    seen = b""
    frame = None
    deadline = start + 30
    while frame is None and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if all(m in seen for m in marks):
            frame = time.monotonic() - start
    try:
        os.write(fd, b"q")
    except OSError:
        pass
    # Drain until the explorer exits (it restores the terminal), then reap it.
    end = time.monotonic() + 30
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                if not os.read(fd, 1 << 16):
                    break
            except OSError:
                break
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    else:
        os.kill(pid, signal.SIGKILL)
        frame = None
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    os.close(fd)
    return frame


def main():
    args = sys.argv[1:]
    runs, view = 5, "header"
    while args and args[0].startswith("--"):
        if args[0] == "--runs":
            runs = int(args[1]); args = args[2:]
        elif args[0] == "--view":
            view = args[1]; args = args[2:]
        else:
            sys.exit(f"first-frame.py: unknown option {args[0]}")
    if len(args) != 2:
        sys.exit(__doc__)
    binary, image = args
    marks = [b"quit", b"Header" if view == "header" else view.encode()]
    times = []
    for _ in range(runs):
        t = one_run(binary, image, view, marks)
        if t is None:
            sys.exit(f"first-frame.py: no first frame from {binary} on {image}")
        times.append(t * 1000)
    ordered = sorted(times)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    print(f"{median:.1f} " + " ".join(f"{t:.1f}" for t in times))


if __name__ == "__main__":
    main()
