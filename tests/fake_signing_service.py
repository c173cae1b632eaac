"""A local stand-in for a BSrE-style remote signing service (TTE API): `POST /api/sign/pdf`
with the application's HTTP Basic credentials and a multipart form (file, nik, passphrase),
answering the PAdES-signed PDF, or the service's JSON error. It really signs, with a
certificate of a CA the test makes, so the result validates like the real service's."""

from __future__ import annotations

import base64
import io
import json
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mutasi.decree.document_signers import PadesSigner, SigningRequest

USER, PASSWORD = "mutasi-app", "rahasia-aplikasi"


class FakeSigningService:
    def __init__(self, pkcs12: bytes, pkcs12_passphrase: str, nik: str, passphrase: str) -> None:
        self.signer = PadesSigner(pkcs12, pkcs12_passphrase)
        self.nik, self.passphrase = nik, passphrase
        self.down = False  # answer 503, as during an outage
        self.signed = 0
        self.requests = 0
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                return

            def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802 (the http.server API)
                service.requests += 1
                data = self.rfile.read(int(self.headers["Content-Length"]))
                if service.down:
                    return self._answer(503, b'{"error": "service unavailable"}')
                basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                if self.path != "/api/sign/pdf" or self.headers.get("Authorization") != basic:
                    return self._answer(401, b'{"error": "unauthorized client"}')
                form = _multipart(self.headers["Content-Type"], data)
                if form.get("nik") != service.nik.encode():
                    return self._answer(400, json.dumps({"error": "NIK tidak terdaftar"}).encode())
                if form.get("passphrase") != service.passphrase.encode():
                    return self._answer(
                        400, json.dumps({"error": "Passphrase anda salah"}).encode()
                    )
                signed = service.signer.sign(
                    SigningRequest(pdf=form["file"], reason="TTE", location="BSrE")
                )
                service.signed += 1
                return self._answer(200, signed, "application/pdf")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSigningService:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    message = BytesParser(policy=HTTP).parse(
        io.BytesIO(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    )
    return {
        part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
        for part in message.iter_parts()
    }
