"""Glue endpoint for the local Trino: forwards every call to moto, except the
column-statistics actions moto does not implement.

Trino's Glue metastore rewrites column statistics after every CTAS/INSERT
(DeleteColumnStatisticsFor*, UpdateColumnStatisticsFor*) and fails the query
when Glue answers 500, as moto 5.2 does for these actions. Athena keeps no
column statistics for these tables either, so the shim accepts and discards
them: Trino then plans without statistics, which changes no result.

    python glue_statistics_shim.py LISTEN_PORT MOTO_URL
"""
import http.server
import json
import sys
import urllib.error
import urllib.request

EMPTY_ANSWERS = {
    "AWSGlue.DeleteColumnStatisticsForTable": {},
    "AWSGlue.DeleteColumnStatisticsForPartition": {},
    "AWSGlue.UpdateColumnStatisticsForTable": {"Errors": []},
    "AWSGlue.UpdateColumnStatisticsForPartition": {"Errors": []},
    "AWSGlue.GetColumnStatisticsForTable": {"ColumnStatisticsList": [], "Errors": []},
    "AWSGlue.GetColumnStatisticsForPartition": {"ColumnStatisticsList": [], "Errors": []},
}


class Shim(http.server.BaseHTTPRequestHandler):
    upstream = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = self.headers.get("X-Amz-Target", "")
        if target in EMPTY_ANSWERS:
            self.answer(200, {"Content-Type": "application/x-amz-json-1.1"},
                        json.dumps(EMPTY_ANSWERS[target]).encode())
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        request = urllib.request.Request(self.upstream + self.path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request) as response:
                self.answer(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            self.answer(error.code, dict(error.headers.items()), error.read())

    def answer(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    Shim.upstream = sys.argv[2].rstrip("/")
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Shim).serve_forever()
