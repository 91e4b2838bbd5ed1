"""An upstream whose /slow answers after 6 seconds: a request in flight while the proxy reloads."""

import http.server
import time


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(6)
        body = b"slow done" if self.path == "/slow" else b"fast"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


http.server.ThreadingHTTPServer(("", 8000), Handler).serve_forever()
