# The emulator's stand-in for a Backend.AI kernel runner: one persistent Python interpreter per
# kernel that runs the session's bootstrap script, then executes the code it is sent (keeping its
# globals between runs) and the batch startup command.
#
# Protocol: JSON lines. Requests on stdin: {"code": text}, {"input": text}, {"interrupt": true},
# {"batch": command}. Messages on the original stdout (a private copy of fd 1; fd 1 itself then
# points at /dev/null so nothing else can corrupt the protocol): {"t": "out"|"err", "d": text},
# {"t": "input", "prompt": text}, {"t": "done", "exit": code}, {"t": "log", "d": text},
# {"t": "batch-exit", "exit": code}, {"t": "fatal", "reason": text}, {"t": "ready"}.
#
# Why it is shaped like this:
# - "ready" is sent only once the runner can execute, so the emulator marks the kernel RUNNING
#   only then (as the real agent waits for its kernel runner).
# - Interrupts arrive as a message, not as a signal sent from outside: while a run is going on,
#   the runner signals its main thread (again every 50 ms until it lands), and the SIGINT handler
#   raises KeyboardInterrupt once, and only inside the user's code. An interrupt at any other
#   moment can never kill the runner, also when the emulator was started with SIGINT ignored (the
#   handler is installed explicitly).
# - The runner is the leader of its own session and process group; when stdin reaches EOF (the
#   emulator stopped the kernel, or died, even by kill -9) it kills every process of the kernel.
# - Warm pool (--pooled): the emulator keeps a few runners started ahead of time in an empty
#   directory. Such a runner sets up everything a kernel shares (own group, limits, signal
#   handling, the protocol) and says {"t": "idle"}; it becomes a session's kernel with one
#   {"claim": {"cwd", "env", "bootstrap", "ro_mounts", "argv"}} request, applied before anything
#   of the session runs: the session's working directory, exactly the environment a cold start
#   gets (os.environ and os.environb replaced, time.tzset(), the user site of the new HOME), its
#   argv, then the bootstrap script, the read-only guard and fresh globals, as a cold start does.
#   The emulator claims only for environments a started interpreter can take on (no PYTHON*,
#   LANG or LC_* variables of the session's own, which act at interpreter start).
# - Fork server (--zygote=SOCKET, with the pooled arguments): one interpreter that has imported
#   everything above forks the pooled runners, so a runner costs a fork (~10 ms of CPU) instead of
#   an interpreter start (~65 ms). Requests on its stdin: {"fork": true, "token": t}; once it has
#   reaped a forked process it says {"t": "exit", "pid": n, "code": c} (negative: killed by that
#   signal). A forked runner connects to SOCKET (a Unix socket in the
#   emulator's private scratch root), says {"t": "hello", "pid": n, "token": t} and speaks the
#   protocol above on that connection; its own fds 0-2 are /dev/null. With "script": [path, args...]
#   (and "preload": [modules] the fork server imports once first) the forked process runs that
#   script instead, as `python -S path args...` would, with the connection as its stdin and stdout
#   (the model servers' stand-in). When its stdin reaches EOF (the emulator ended)
#   the fork server just exits: every runner's connection has ended too, and each runner then kills
#   its kernel's processes itself (killing a runner from outside would orphan its bootstrap and
#   batch process groups).
#   Forked runners share the fork server's hash seed (a started interpreter cannot change it) and
#   its objects, frozen out of the collector's way (gc.get_freeze_count() is not 0 in them).
# - Output is bounded: the user's output waits in a small queue (back-pressure, not memory), and
#   bootstrap / batch output beyond a cap stops that script with an error.
# - Read-only virtual-folder mounts (--ro-mounts, a JSON list of absolute paths) refuse every write
#   Python attempts below them, with OSError(EROFS) as a read-only bind mount does: an audit hook,
#   installed before any user code runs, because file modes do not stop root. (The emulator also
#   mounts a read-only folder as a snapshot, so nothing can reach the folder's own files.)
import builtins
import errno
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import traceback



def _site_packages():
    """The emulator starts runners with -S: site's .pth hooks can cost more than the interpreter
    itself (a sandbox's CA hook importing certifi tripled every start, 86 -> 28 ms without it). The
    interpreter's site-packages and the user site of HOME still go on sys.path, as site would put
    them; only the .pth files of site-packages are not run."""
    import site
    if not sys.flags.no_site:
        return
    for path in site.getsitepackages():
        if os.path.isdir(path) and path not in sys.path:
            sys.path.append(path)
    site.ENABLE_USER_SITE = site.check_enableusersite()
    user_site = site.getusersitepackages()
    if site.ENABLE_USER_SITE and os.path.isdir(user_site) and user_site not in sys.path:
        site.addsitedir(user_site)


_site_packages()

USER_FILE = "<input>"
RUNNER_FILE = os.path.abspath(__file__)
CHUNK = 64 * 1024


def _arg(name, default):
    prefix = "--" + name + "="
    for item in sys.argv[1:]:
        if item.startswith(prefix):
            return item[len(prefix):]
    return default


LOG_CAP = int(_arg("log-cap", str(1024 * 1024)))
BOOTSTRAP = _arg("bootstrap", "")
MEMORY_BYTES = int(_arg("memory-bytes", "0"))
CPU_SECONDS = int(_arg("cpu-seconds", "0"))
RO_MOUNTS = json.loads(_arg("ro-mounts", "[]"))
POOLED = "--pooled" in sys.argv[1:]
ZYGOTE = _arg("zygote", "")


class _State:
    busy = False      # a code request was accepted and its "done" not yet sent
    pending = False   # an interrupt for the current run that has not been raised yet


_state = _State()
_lock = threading.Lock()
_out = queue.Queue(maxsize=256)
_work = queue.Queue()
_inputs = queue.Queue()
_claims = queue.Queue()
_children = set()
_main_ident = threading.get_ident()


def _own_group():
    try:
        return os.getpgid(0) == os.getpid()
    except OSError:
        return False


def _die(code=0):
    """Ends this kernel: every child group, then our own group (never a group we don't lead)."""
    for pgid in list(_children):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    if _own_group():
        try:
            os.killpg(0, signal.SIGKILL)
        except OSError:
            pass
    os._exit(code)


def _emit(kind, **fields):
    fields["t"] = kind
    _out.put(fields)


def _writer(proto):
    try:
        while True:
            message = _out.get()
            proto.write(json.dumps(message) + "\n")
            proto.flush()
            _out.task_done()
    except BaseException:
        _die(70)


def _in_user_code(frame):
    while frame is not None:
        if frame.f_code.co_filename == USER_FILE:
            return True
        frame = frame.f_back
    return False


def _on_sigint(signum, frame):
    # Raised only for an interrupt the emulator asked for, only once, and only in the user's
    # code; anywhere else the request stays pending (the interrupter signals again, and a run
    # whose code has not started yet gets it first thing).
    if _state.busy and _state.pending and _in_user_code(frame):
        _state.pending = False
        raise KeyboardInterrupt


class _Stream(io.TextIOBase):
    def __init__(self, kind):
        self._kind = kind

    def write(self, text):
        text = str(text)
        for start in range(0, len(text), CHUNK):
            _emit(self._kind, d=text[start:start + CHUNK])
        return len(text)

    def writable(self):
        return True


class _Stdin(io.TextIOBase):
    """The user's stdin: reading it asks the client for input, like input()."""

    def readable(self):
        return True

    def readline(self, size=-1):
        return _input("") + "\n"

    def read(self, size=-1):
        return self.readline()


def _input(prompt=""):
    _emit("input", prompt=str(prompt))
    return _inputs.get()


def _reader(stdin):
    for raw in stdin:
        try:
            request = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(request, dict):
            continue
        if "code" in request:
            with _lock:
                _state.busy = True
                _state.pending = False
            _work.put(request["code"])
        elif "input" in request:
            _inputs.put(str(request["input"]))
        elif "interrupt" in request:
            with _lock:
                start = _state.busy and not _state.pending
                if _state.busy:
                    _state.pending = True
            if start:
                threading.Thread(target=_interrupter, daemon=True, name="interrupter").start()
        elif "batch" in request:
            threading.Thread(target=_batch, args=(request["batch"],), daemon=True).start()
        elif "claim" in request and isinstance(request["claim"], dict):
            _claims.put(request["claim"])
    _die(0)


def _interrupter():
    """Signals the main thread until the interrupt has landed in the user's code or the run is
    over: a signal that arrives while the runner's own code runs is ignored, so one signal alone
    could be lost to an unlucky moment; the next one is not."""
    while True:
        with _lock:
            if not (_state.busy and _state.pending):
                return
            signal.pthread_kill(_main_ident, signal.SIGINT)
        time.sleep(0.05)


def _spawn(command):
    options = dict(stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        return subprocess.Popen(["sh", "-c", command], process_group=0, **options)
    except TypeError:  # Python < 3.11
        return subprocess.Popen(["sh", "-c", command], preexec_fn=os.setpgrp, **options)


def _pump(process, what):
    """Forwards a script's output to the kernel log; stops the script beyond LOG_CAP bytes."""
    total = 0
    while True:
        chunk = process.stdout.read1(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > LOG_CAP:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
            _emit("log", d="\n[the emulator stopped the %s: its output exceeded %d bytes]\n" % (what, LOG_CAP))
            process.wait()
            return False
        _emit("log", d=chunk.decode("utf-8", "replace"))
    process.wait()
    return True


def _exit_code(process):
    code = process.returncode
    return 128 - code if code < 0 else code


def _batch(command):
    try:
        process = _spawn(command)
    except OSError as error:
        _emit("log", d="cannot start the batch command: %s\n" % error)
        _emit("batch-exit", exit=127)
        return
    _children.add(process.pid)
    complete = _pump(process, "batch task")
    _children.discard(process.pid)
    _emit("batch-exit", exit=_exit_code(process) if complete else 1)


def _bootstrap(path):
    process = _spawn("sh " + path)
    _children.add(process.pid)
    complete = _pump(process, "bootstrap script")
    _children.discard(process.pid)
    if not complete:
        _emit("fatal", reason="bootstrap script output exceeded %d bytes" % LOG_CAP)
        return False
    return True


def _users_part(tb):
    """The traceback from the user's code down, without this runner's frames (a real kernel's
    traceback starts at the user's code; an interrupted input() ends at the user's call)."""
    tb = tb.tb_next
    cursor = tb
    while cursor is not None and cursor.tb_next is not None:
        if os.path.abspath(cursor.tb_next.tb_frame.f_code.co_filename) == RUNNER_FILE:
            cursor.tb_next = None
            break
        cursor = cursor.tb_next
    return tb


def _run(code, namespace):
    while not _inputs.empty():  # answers meant for an earlier run
        _inputs.get_nowait()
    exit_code = 0
    try:
        if _state.pending:
            _state.pending = False
            raise KeyboardInterrupt
        exec(compile(code, USER_FILE, "exec"), namespace)
    except SystemExit as error:
        if error.code is None:
            exit_code = 0
        elif isinstance(error.code, int):
            exit_code = error.code
        else:
            sys.stderr.write(str(error.code) + "\n")
            exit_code = 1
    except BaseException as error:
        traceback.print_exception(type(error), error, _users_part(error.__traceback__))
        exit_code = 1
    with _lock:
        _state.busy = False
        _state.pending = False
    _emit("done", exit=exit_code)


def _limit():
    """Bounds the kernel's memory and CPU time (inherited by everything it starts)."""
    try:
        import resource
    except ImportError:
        return
    for name, value in (("RLIMIT_AS", MEMORY_BYTES), ("RLIMIT_CPU", CPU_SECONDS)):
        if value > 0 and hasattr(resource, name):
            try:
                resource.setrlimit(getattr(resource, name), (value, value))
            except (OSError, ValueError):
                pass


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_PATH_EVENTS = frozenset((
    "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.utime", "os.truncate",
    "os.mkfifo", "os.mknod", "os.setxattr", "os.removexattr", "shutil.rmtree",
))


def _install_read_only_guard(roots):
    """Refuses writes below the read-only mount points (see the header)."""
    if not roots:
        return
    real_roots = tuple(os.path.realpath(root) for root in roots)

    def below(path):
        if isinstance(path, int) or path is None:
            return False
        try:
            text = os.fsdecode(os.fspath(path))
        except TypeError:
            return False
        for candidate in (os.path.abspath(text), os.path.realpath(text)):
            for root in real_roots:
                if candidate == root or candidate.startswith(root + os.sep):
                    return True
        return False

    def refuse(path):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(os.fspath(path)))

    def hook(event, args):
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            writing = (isinstance(flags, int) and flags & _WRITE_FLAGS) or (
                isinstance(mode, str) and any(c in mode for c in "wax+"))
            if writing and below(path):
                refuse(path)
        elif event in _PATH_EVENTS:
            if args and below(args[0]):
                refuse(args[0])
        elif event in ("os.rename", "os.link"):
            for path in tuple(args)[:2]:
                if below(path):
                    refuse(path)
        elif event == "os.symlink":
            if len(args) > 1 and below(args[1]):
                refuse(args[1])

    sys.addaudithook(hook)


def _become(claim):
    """A pooled runner becomes the session's kernel (see the header): what a cold start would
    have been given on its command line and in its environment, applied in place."""
    global BOOTSTRAP, RO_MOUNTS
    os.chdir(claim["cwd"])
    env = {str(k): str(v) for k, v in claim.get("env", {}).items()}
    os.environ.clear()
    if hasattr(os, "environb"):
        os.environb.clear()
    os.environ.update(env)
    if hasattr(os, "environb"):
        os.environb.update({os.fsencode(k): os.fsencode(v) for k, v in env.items()})
    if hasattr(time, "tzset"):
        time.tzset()
    import site
    site.USER_BASE = None
    site.USER_SITE = None
    user_site = site.getusersitepackages()
    if site.ENABLE_USER_SITE and os.path.isdir(user_site) and user_site not in sys.path:
        site.addsitedir(user_site)
    sys.argv[:] = [str(item) for item in claim.get("argv", sys.argv)]
    BOOTSTRAP = str(claim.get("bootstrap", ""))
    RO_MOUNTS = list(claim.get("ro_mounts", []))


def main(fd_in=0, fd_out=1):
    try:
        os.setsid()
    except OSError:
        pass
    _limit()
    signal.signal(signal.SIGINT, _on_sigint)
    proto = os.fdopen(os.dup(fd_out), "w", encoding="utf-8", newline="\n")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    stdin = os.fdopen(os.dup(fd_in), "rb")
    if fd_in not in (0, 1, 2):
        os.close(fd_in)  # a forked runner's connection: only the private copies above stay open
    sys.stdout, sys.stderr, sys.stdin = _Stream("out"), _Stream("err"), _Stdin()
    builtins.input = _input
    threading.Thread(target=_writer, args=(proto,), daemon=True, name="writer").start()
    # The reader starts first, so that even during a long bootstrap an EOF ends the kernel.
    threading.Thread(target=_reader, args=(stdin,), daemon=True, name="reader").start()
    if POOLED:
        _emit("idle", pid=os.getpid())
        while True:
            try:
                claim = _claims.get()
                break
            except KeyboardInterrupt:
                continue
        try:
            _become(claim)
        except BaseException as error:
            _emit("fatal", reason="the pooled kernel could not take on the session: %s" % error)
            _out.join()
            _die(1)
    if BOOTSTRAP and not _bootstrap(BOOTSTRAP):
        _out.join()  # the "fatal" message reaches the emulator before the kernel ends
        _die(1)
    _install_read_only_guard(RO_MOUNTS)
    _emit("ready", pid=os.getpid())
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    while True:
        try:
            code = _work.get()
        except KeyboardInterrupt:
            continue
        try:
            _run(code, namespace)
        except KeyboardInterrupt:
            # An interrupt that landed in the runner's own bookkeeping: the run is over anyway.
            with _lock:
                _state.busy = False
                _state.pending = False
            _emit("done", exit=1)


def _zygote_say(message):
    # One write per line (from the SIGCHLD handler): a line is never split.
    os.write(1, (json.dumps(message) + "\n").encode("utf-8"))


def _rehearse():
    """Runs what every runner runs first (the protocol's JSON, the queues, compiling and running
    user code) in the fork server, before any fork. Python specialises code as it runs it, by
    writing into it: done once here, the forked runners share the result instead of each copying
    the pages it sits on (~6% of a forked runner's CPU on a machine where a page fault is dear)."""
    for _ in range(100):
        json.loads(json.dumps({"t": "out", "d": "rehearsal", "pid": 1, "exit": 0}))
        rehearsal = queue.Queue(maxsize=4)
        rehearsal.put({"t": "ready"})
        rehearsal.get()
        rehearsal.task_done()
        exec(compile("answer = 6 * 7", USER_FILE, "exec"), {"__name__": "__main__"})


def _zygote(socket_path):
    """The fork server (see the header). Single-threaded, so forking is safe."""
    def reap(signum, frame):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            _zygote_say({"t": "exit", "pid": pid, "code": os.waitstatus_to_exitcode(status)})

    import gc
    import socket  # what a forked runner needs, imported once here
    try:
        import resource  # _limit's
    except ImportError:
        pass
    _rehearse()
    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the emulator's terminal is the emulator's
    requests = os.fdopen(os.dup(0), "rb")
    for raw in requests:
        try:
            request = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(request, dict) or "fork" not in request:
            continue
        token = str(request.get("token", ""))
        script = request.get("script")
        for module in request.get("preload", []):
            try:
                __import__(str(module))
            except ImportError:
                pass
        gc.freeze()  # the children's collections then leave the shared objects (and their pages) alone
        if os.fork() == 0:
            if isinstance(script, list) and script:
                _forked_script(socket_path, requests, token, [str(item) for item in script])
            _forked_runner(socket_path, requests, token)
    os._exit(0)


def _connect_forked(socket_path, requests, token):
    """A forked process's start: the fork server's settings undone, fds 0-2 on /dev/null, then
    connected and introduced; returns the connection's fd."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    requests.close()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    if "random" in sys.modules:  # never imported before the fork today; a shared state if it were
        sys.modules["random"].seed()
    import socket
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(socket_path)
    connection.sendall((json.dumps({"t": "hello", "pid": os.getpid(), "token": token}) + "\n").encode("utf-8"))
    return connection.detach()


def _forked_runner(socket_path, requests, token):
    """A pooled runner forked by the fork server; never returns."""
    try:
        fd = _connect_forked(socket_path, requests, token)
        main(fd, fd)
    except BaseException:
        pass
    os._exit(70)


def _forked_script(socket_path, requests, token, argv):
    """A script forked by the fork server, run as its own program would be; never returns."""
    code = 70
    try:
        fd = _connect_forked(socket_path, requests, token)
        os.dup2(fd, 0)
        os.dup2(fd, 1)
        os.close(fd)
        sys.argv[:] = argv
        import runpy
        runpy.run_path(argv[0], run_name="__main__")
        code = 0
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    except BaseException:
        pass
    try:
        sys.stdout.flush()
    except BaseException:
        pass
    os._exit(code)


if __name__ == "__main__":
    if ZYGOTE:
        _zygote(ZYGOTE)
    else:
        main()
