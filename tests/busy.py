"""Run a command while every core is kept busy, as on a shared CI machine: tests must wait for
states and step counts, never for time, and pass there too.

    python -m tests.busy [--spinners N] [--runs R] -- pytest tests/browser -x -q

starts N processes that spin (`while True: pass`; N defaults to the number of cores), runs the
command R times (stopping at the first failure), stops each spinner by its pid and exits with
the command's status. `make test-busy` does this for the browser tests."""

import argparse
import os
import signal
import subprocess
import sys

SPIN = "while True: pass"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spinners", type=int, default=os.cpu_count(), help="busy processes")
    parser.add_argument("--runs", type=int, default=1, help="times to run the command")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="after --: what to run")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped run stops its spinners
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(args.spinners)]
    try:
        for run in range(1, args.runs + 1):
            print(f"busy.py: run {run} of {args.runs} beside {len(spinners)} spinners", flush=True)
            status = subprocess.call(command)
            if status:
                return status
        return 0
    finally:
        for spinner in spinners:  # each by its own pid, nothing else
            spinner.terminate()
            spinner.wait()


if __name__ == "__main__":
    sys.exit(main())
