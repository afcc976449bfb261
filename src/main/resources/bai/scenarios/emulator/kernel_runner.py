# The emulator's stand-in for a Backend.AI kernel runner: a persistent Python interpreter that
# executes the code it is sent, keeps its globals between runs, and reports output as JSON lines
# on its real stdout: {"t": "out"|"err", "d": text}, {"t": "input", "prompt": text},
# {"t": "done", "exit": code}. Requests arrive on stdin: {"code": text} or {"input": text}.
import builtins
import io
import json
import sys
import traceback

_real_out = sys.__stdout__


def _emit(kind, **fields):
    fields["t"] = kind
    _real_out.write(json.dumps(fields) + "\n")
    _real_out.flush()


class _Stream(io.TextIOBase):
    def __init__(self, kind):
        self._kind = kind

    def write(self, text):
        if text:
            _emit(self._kind, d=text)
        return len(text)

    def writable(self):
        return True


def _input(prompt=""):
    prompt = str(prompt)
    _emit("input", prompt=prompt)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return json.loads(line).get("input", "")


builtins.input = _input
_globals = {"__name__": "__main__", "__builtins__": builtins}

for _line in sys.stdin:
    try:
        _request = json.loads(_line)
    except ValueError:
        continue
    if "code" not in _request:
        continue
    sys.stdout, sys.stderr = _Stream("out"), _Stream("err")
    _exit = 0
    try:
        exec(compile(_request["code"], "<input>", "exec"), _globals)
    except SystemExit as _e:
        if _e.code is None:
            _exit = 0
        elif isinstance(_e.code, int):
            _exit = _e.code
        else:
            sys.stderr.write(str(_e.code) + "\n")
            _exit = 1
    except BaseException as _e:
        # Drop this runner's own frame, as a real kernel's traceback starts at the user's code.
        traceback.print_exception(type(_e), _e, _e.__traceback__.tb_next)
        _exit = 1
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    _emit("done", exit=_exit)
