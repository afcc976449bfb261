# The emulator's stand-in for a model service inside an inference session: the process a replica
# (route) runs, started by the emulator once the route's session is RUNNING.
#
# It serves the model folder (mounted read-only at the service's model_mount_destination) as the
# model definition describes it:
# - GET/HEAD on the definition's health check path answers 200 {"status": "healthy"};
# - GET on any other path answers the file of that path below the definition's model_path
#   (404 when there is none);
# - POST on any path is the inference call: it answers {"model", "route_id", "path", "input"}
#   with the request body echoed back as "input".
# Every answer carries X-BAI-Emulator-Route: <route id>, so a test can see which replica served it.
#
# Started with -S (site's .pth hooks cost more than the interpreter start here); it needs only the
# standard library.
# Arguments: --root=<directory holding model_path> --health=<path> --model=<name> --route=<id>.
# It binds 127.0.0.1 on a free port, prints {"port": N} on stdout once listening, and exits when
# its stdin reaches EOF (the emulator stopped it, or died, even by kill -9).
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _arg(name, default=""):
    prefix = "--" + name + "="
    for item in sys.argv[1:]:
        if item.startswith(prefix):
            return item[len(prefix):]
    return default


ROOT = os.path.realpath(_arg("root", "."))
HEALTH = _arg("health", "/health") or "/health"
MODEL = _arg("model", "model")
ROUTE = _arg("route", "")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-BAI-Emulator-Route", ROUTE)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _path(self):
        return self.path.split("?", 1)[0]

    def do_GET(self):
        path = self._path()
        if path == HEALTH:
            self._send(200, b'{"status": "healthy"}')
            return
        target = os.path.realpath(os.path.join(ROOT, path.lstrip("/")))
        if (target == ROOT or target.startswith(ROOT + os.sep)) and os.path.isfile(target):
            with open(target, "rb") as f:
                self._send(200, f.read(), "application/octet-stream")
            return
        self._send(404, json.dumps({"detail": "Not Found"}).encode())

    do_HEAD = do_GET

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        body = {"model": MODEL, "route_id": ROUTE, "path": self._path(), "input": data}
        self._send(200, json.dumps(body).encode())


def _watch_stdin(server):
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    if not os.path.isdir(ROOT):
        print(json.dumps({"error": "model path %s does not exist" % ROOT}), flush=True)
        sys.exit(1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=_watch_stdin, args=(server,), daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
