# The stateful Python worker behind one interpreter context. Reads one JSON request per
# line on stdin ({"code", "envs"}), runs it in a namespace that persists between requests,
# and writes JSON messages, one per line, on its original stdout: stdout/stderr chunks, an
# error with its traceback, then a control message ("completed", or "interrupted" after
# SIGINT).
import io, json, os, signal, sys, traceback

_proto = os.fdopen(os.dup(1), "w", buffering=1)
_stdin = sys.stdin


def _emit(kind, text="", name="", value="", tb=""):
    _proto.write(json.dumps({"type": kind, "text": text, "name": name, "value": value, "traceback": tb}) + "\n")
    _proto.flush()


class _Stream(io.TextIOBase):
    def __init__(self, kind):
        self.kind = kind

    def write(self, s):
        if s:
            _emit(self.kind, text=s)
        return len(s)

    def writable(self):
        return True


sys.stdout, sys.stderr = _Stream("stdout"), _Stream("stderr")
_namespace = {"__name__": "__main__"}

# SIGINT interrupts the code only while it runs: one that comes late, after the run ended (a
# client that left just then), must not end the worker and the context's state with it.
signal.signal(signal.SIGINT, signal.SIG_IGN)
for _line in _stdin:
    try:
        _req = json.loads(_line)
        os.environ.update(_req.get("envs") or {})
        try:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            exec(compile(_req.get("code", ""), "<cell>", "exec"), _namespace)
        except KeyboardInterrupt:
            _emit("control", text="interrupted")
            continue
        except BaseException as _e:
            _emit("error", name=type(_e).__name__, value=str(_e), tb="".join(traceback.format_exception(type(_e), _e, _e.__traceback__.tb_next)))
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        _emit("control", text="completed")
    except KeyboardInterrupt:
        _emit("control", text="interrupted")
