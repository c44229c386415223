"""A callback receiver for scripts/chaos.sh: answers every POST with 200 and appends one line per
request to the file named by its first argument: `webhook-id<TAB>run_id`. Writes its port to the
file named by its second argument once it listens. Standard library only."""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG_PATH, PORT_PATH = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            run_id = json.loads(body).get("run_id", "")
        except ValueError:
            run_id = ""
        with LOCK, open(LOG_PATH, "a", encoding="utf-8") as log:
            log.write(f"{self.headers.get('webhook-id', '')}\t{run_id}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_PATH, "w", encoding="utf-8") as port_file:
    port_file.write(str(server.server_address[1]))
server.serve_forever()
