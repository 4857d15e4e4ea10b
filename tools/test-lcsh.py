#!/usr/bin/env python3
"""test-lcsh.py - drive the kit's shell through a pseudo-terminal, as a
person at a keyboard would: type commands, read the screen, and check line
editing, history, completion, errors, and a shell process that dies.

    LCSH=build/rel/shell/lcsh python3 tools/test-lcsh.py

The shell runs with the virtual clock, so nothing here depends on how fast
the machine is; the timeouts below only guard against a hang.
"""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile

LCSH = os.environ.get("LCSH", "build/rel/shell/lcsh")
failures = []


class Terminal:
    def __init__(self, home):
        self.master, slave = pty.openpty()
        env = dict(os.environ, HOME=home, TERM="xterm")
        self.proc = subprocess.Popen([LCSH, "--virtual"], stdin=slave,
                                     stdout=slave, stderr=slave, env=env,
                                     close_fds=True)
        os.close(slave)
        self.screen = ""

    def read_until(self, pattern, guard=30.0):
        """Read until the screen (since the last call) matches pattern."""
        got = ""
        while not re.search(pattern, got):
            ready, _, _ = select.select([self.master], [], [], guard)
            if not ready:
                break
            try:
                data = os.read(self.master, 4096).decode("utf-8", "replace")
            except OSError:
                break
            if not data:
                break
            got += data
        self.screen += got
        return got

    def type(self, keys):
        os.write(self.master, keys.encode())

    def close(self):
        self.type("\x04")  # Ctrl-D
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            failures.append("the shell did not end at Ctrl-D")
        os.close(self.master)


def check(name, ok, screen):
    print(("  ok   " if ok else "  FAIL ") + name)
    if not ok:
        failures.append(name)
        print("    the screen was:\n    " +
              screen.replace("\r", "").replace("\n", "\n    ")[-1500:])


def main():
    with tempfile.TemporaryDirectory() as home:
        t = Terminal(home)
        check("the prompt comes", "lcsh> " in t.read_until(r"lcsh> "),
              t.screen)

        t.type("spawn idle sleeper\r")
        out = t.read_until(r"spawned sleeper.*\n.*lcsh> ")
        check("a command runs", "spawned sleeper <0." in out, out)

        t.type("he\t")
        out = t.read_until(r"help")
        t.type(" ps\r")
        out += t.read_until(r"lcsh> ")
        check("Tab completes a command (he -> help)",
              "list the processes" in out, out)

        t.type("info sle\t\r")
        out = t.read_until(r"traps exits.*\n(.*\n)*.*lcsh> ")
        check("Tab completes a process name (sle -> sleeper)",
              "name:        sleeper" in out, out)

        t.type("\x1b[A\x1b[A\r")  # Up twice: "help ps" again
        out = t.read_until(r"lcsh> ")
        check("Up recalls history", "list the processes" in out, out)

        t.type("frobnicate\r")
        out = t.read_until(r"lcsh> ")
        check("a bad command gets a clear error and the prompt",
              "no command 'frobnicate'" in out, out)

        t.type("kill nosuch\r")
        out = t.read_until(r"lcsh> ")
        check("a wrong process gets a clear error",
              "nobody is called 'nosuch'" in out, out)

        t.type("spawn crasher doomed linked\r")
        t.read_until(r"lcsh> ")
        t.type("send doomed 1\r")
        out = t.read_until(r"new one takes its place(.*\n)*.*lcsh> ")
        check("a killed shell process is replaced and the prompt stays",
              "the shell process ended: {crash, 1}" in out, out)

        t.type("ps\r")
        out = t.read_until(r"process(es)?\s*\r?\n.*lcsh> ")
        check("the system and the shell go on after it",
              "sleeper" in out and "(this shell)" in out, out)
        t.close()

        history = os.path.join(home, ".lcsh_history")
        saved = open(history).read() if os.path.exists(history) else ""
        saved = saved.replace("\\040", " ")  # libedit escapes spaces
        check("history is saved between sessions", "spawn idle sleeper" in
              saved, saved)

    if failures:
        print("test-lcsh: %d failed" % len(failures))
        sys.exit(1)
    print("shell: the terminal session works (editing, history, "
          "completion, errors)")


if __name__ == "__main__":
    main()
