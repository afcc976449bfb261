"""The serving scenarios' echo model: answers GET /health with 200 {"status": "healthy"}, and any
other GET or a POST (the inference call) with {"replica": <this inference session's id>, "path":
<the path asked for>, "input": <the POST body>}.

Listens on $PORT when set (an emulator that runs replicas side by side on one host gives each
its own port), else on the port of the model definition, 8000.
"""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLICA = os.environ.get("BACKENDAI_SESSION_ID", "unknown")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0] == "/health":
            body = {"status": "healthy"}
        else:
            body = {"replica": REPLICA, "path": self.path}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length).decode("utf-8", "replace")
        body = json.dumps({"replica": REPLICA, "path": self.path, "input": data}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT") or 8000)), Handler).serve_forever()
