"""Runs the PyTorch tests' Python programs one after another in one process (see PyTorch.java).

Importing torch takes seconds, longer than most of the programs themselves: one process that imports
it once and then runs each program it is sent saves most of the tests' time. Each program runs as
python3 would run it, in a fresh namespace as "__main__", with sys.argv set (a script's folder first
on sys.path), and torch's global settings put back first: the default dtype, grad mode, the thread
count, and a new random seed (a new process starts from one of its own, so a program that wants the
same numbers seeds torch itself).

The conversation on standard input and output, all counts in bytes of UTF-8:
  worker -> "STATUS COUNT\n" then COUNT bytes, once when started: 0 and torch's version, or 3 and
            why torch cannot be imported (then it exits)
  test   -> "ARGC\n", then for each argument "COUNT\n" and COUNT bytes: ["-c", code, args...] or
            [script, args...]
  worker -> "STATUS COUNT\n" then COUNT bytes: 0 and what the program printed, or 1 and what it
            printed followed by its traceback (or its exit status)
Anything written to file descriptor 1 by native code goes to standard error instead, so that it
cannot break the conversation. The worker ends when its standard input does.
"""
import contextlib
import io
import os
import runpy
import sys
import traceback


def send(channel, status, text):
    data = text.encode("utf-8")
    channel.write(b"%d %d\n" % (status, len(data)))
    channel.write(data)
    channel.flush()


def read_exactly(stream, count):
    data = stream.read(count)
    if data is None or len(data) != count:
        raise EOFError("the request ended early")
    return data


def read_request(stream):
    line = stream.readline()
    if not line:
        return None
    args = []
    for _ in range(int(line)):
        count = int(stream.readline())
        args.append(read_exactly(stream, count).decode("utf-8"))
    return args


def run(args):
    """Runs one program; returns (status, what it printed)."""
    printed = io.StringIO()
    status = 0
    saved_argv, saved_path = sys.argv, list(sys.path)
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            if args[0] == "-c":
                sys.argv = ["-c"] + args[2:]
                exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
            else:
                sys.argv = list(args)
                sys.path.insert(0, os.path.dirname(os.path.abspath(args[0])))
                runpy.run_path(args[0], run_name="__main__")
    except SystemExit as e:
        if e.code not in (None, 0):
            status = 1
            printed.write("\n%s\n" % (e.code,))
    except BaseException:
        status = 1
        printed.write(traceback.format_exc())
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path
    return status, printed.getvalue()


def main():
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    requests = sys.stdin.buffer
    try:
        import torch
    except ImportError as e:
        send(channel, 3, str(e))
        return
    dtype = torch.get_default_dtype()
    threads = torch.get_num_threads()
    send(channel, 0, torch.__version__)
    while True:
        args = read_request(requests)
        if args is None:
            return
        torch.seed()
        torch.set_default_dtype(dtype)
        torch.set_grad_enabled(True)
        torch.set_num_threads(threads)
        status, printed = run(args)
        send(channel, status, printed)


if __name__ == "__main__":
    main()
