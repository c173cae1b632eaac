"""Who signs a decree, and how. Three ways, each honest about what it is:

- `pades`: a PAdES signature made with the PPK's certificate (a PKCS#12 file the agency
  installs, issued by BSrE or another CA), embedded in the PDF, checkable in any PDF reader;
- `remote`: a signing service in the shape of BSrE's TTE API: the signer's NIK and passphrase
  and the document go in, the signed document comes out (the key never leaves the service);
- `wet`: the decree is printed, signed by hand, scanned and uploaded; the scan is the decree
  of record and nothing claims an electronic signature.

The application's own Ed25519 key (mutasi.decree.signing) signs only the verification record
behind the QR code; it never poses as the PPK."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

import httpx

T = TypeVar("T")
SigningMethod = Literal["pades", "remote", "wet"]
ELECTRONIC: frozenset[str] = frozenset({"pades", "remote"})
SIGNATURE_FIELD = "TandaTanganPPK"
# Room for a CMS signature with a chain of up to five RSA-4096 certificates.
RESERVED_BYTES = 16384


class SigningRefused(Exception):
    """The signer said no for good (wrong passphrase, unknown NIK, revoked certificate):
    trying again with the same input cannot succeed."""


class SigningUnavailable(Exception):
    """The signing service could not be reached or failed: the decree waits and retries."""


@dataclass(frozen=True, kw_only=True)
class SigningRequest:
    """One document to sign and the words the signature carries."""

    pdf: bytes
    reason: str
    location: str
    # For a remote service: who signs and their passphrase (never stored).
    nik: str = ""
    passphrase: str = ""


class DocumentSigner(Protocol):
    method: SigningMethod

    def sign(self, request: SigningRequest) -> bytes: ...


class PadesSigner:
    """PAdES baseline signatures with a PKCS#12 key and certificate chain; with a timestamp
    authority (RFC 3161) where one is configured."""

    method: SigningMethod = "pades"

    def __init__(
        self,
        pkcs12: bytes,
        passphrase: str,
        tsa_url: str | None = None,
        *,
        embed_revocation: bool = False,
    ) -> None:
        from pyhanko.sign import signers

        try:
            self._signer = signers.SimpleSigner.load_pkcs12_data(
                pkcs12, other_certs=(), passphrase=passphrase.encode() or None
            )
        except (ValueError, TypeError) as exc:
            raise SigningRefused(f"berkas PKCS#12 tidak dapat dibuka: {exc}") from exc
        if self._signer is None:
            raise SigningRefused("berkas PKCS#12 tidak dapat dibuka (passphrase salah?)")
        self._tsa_url = tsa_url
        self._roots = self._chain_roots() if embed_revocation else None

    def _chain_roots(self) -> list[Any]:
        """The self-signed roots the PKCS#12 carries: the trust anchors that revocation
        information is gathered up to (an agency's chain must include its root)."""
        roots = [c for c in self._signer.cert_registry if c.subject == c.issuer and c.self_signed]
        if not roots:
            raise SigningRefused(
                "berkas PKCS#12 tidak memuat sertifikat akar; sertakan rantai lengkap untuk "
                "menyematkan informasi pencabutan"
            )
        return roots

    @property
    def subject(self) -> str:
        cert = self._signer.signing_cert
        if cert is None:
            return ""
        return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)

    def sign(self, request: SigningRequest) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers, timestamps
        from pyhanko.sign.fields import SigSeedSubFilter
        from pyhanko.sign.general import SigningError

        stamper = timestamps.HTTPTimeStamper(self._tsa_url) if self._tsa_url else None
        writer = IncrementalPdfFileWriter(io.BytesIO(request.pdf))
        meta = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            reason=request.reason,
            location=request.location,
            subfilter=SigSeedSubFilter.PADES,
            # PAdES B-LT: the chain's OCSP/CRL answers, fetched now, kept in the PDF.
            embed_validation_info=self._roots is not None,
            validation_context=self._validation_context(),
        )
        # Without a timestamp or revocation answers the signature's size is known well
        # enough to reserve its space, sparing pyHanko a trial signature to measure it.
        reserved = None if stamper is not None or self._roots is not None else RESERVED_BYTES
        try:
            out = outside_any_event_loop(
                lambda: signers.async_sign_pdf(
                    writer, meta, signer=self._signer, timestamper=stamper, bytes_reserved=reserved
                )
            )
        except OSError as exc:  # the timestamp authority could not be reached
            raise SigningUnavailable(f"layanan stempel waktu tidak dapat dihubungi: {exc}") from exc
        except SigningError as exc:
            if self._roots is None:
                raise
            # No OCSP or CRL answer for the chain (its server down): the decree waits.
            raise SigningUnavailable(
                f"informasi pencabutan sertifikat tidak diperoleh: {exc}"
            ) from exc
        signed: bytes = out.getvalue()
        return signed

    def _validation_context(self) -> Any:
        if self._roots is None:
            return None
        from pyhanko_certvalidator import ValidationContext

        return ValidationContext(
            trust_roots=self._roots, allow_fetching=True, revocation_mode="hard-fail"
        )


class RemoteSigner:
    """A client of a BSrE-style signing service: `POST {base}/api/sign/pdf` (multipart: file,
    nik, passphrase, tampilan=invisible) with the application's own credentials (HTTP Basic),
    answering the signed PDF. 400/401/403 with the service's error are a refusal; a timeout,
    a connection failure, 429 or 5xx leave the decree waiting for a retry."""

    method: SigningMethod = "remote"

    def __init__(
        self,
        base_url: str,
        *,
        username: str = "",
        password: str = "",
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            auth=(username, password) if username else None,
            timeout=timeout,
            transport=transport,
        )

    def sign(self, request: SigningRequest) -> bytes:
        if not request.nik or not request.passphrase:
            raise SigningRefused("NIK dan passphrase penandatangan wajib diisi")
        try:
            answer = self._client.post(
                "/api/sign/pdf",
                data={
                    "nik": request.nik,
                    "passphrase": request.passphrase,
                    "tampilan": "invisible",
                },
                files={"file": ("sk.pdf", request.pdf, "application/pdf")},
            )
        except httpx.HTTPError as exc:
            raise SigningUnavailable(f"layanan TTE tidak dapat dihubungi: {exc}") from exc
        if answer.status_code in (400, 401, 403, 404, 422):
            raise SigningRefused(f"layanan TTE menolak: {_service_error(answer)}")
        if answer.status_code != 200:
            raise SigningUnavailable(
                f"layanan TTE menjawab {answer.status_code}: {_service_error(answer)}"
            )
        signed = answer.content
        if not signed.startswith(b"%PDF-") or not signed.startswith(request.pdf[:8]):
            raise SigningUnavailable("layanan TTE tidak mengembalikan dokumen PDF")
        return signed


def outside_any_event_loop(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """pyHanko signs in a coroutine. An activity thread has no event loop and runs it at
    once; where this thread already runs one (a test's activity environment) it runs in a
    thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def _service_error(answer: httpx.Response) -> str:
    try:
        body = answer.json()
    except ValueError:
        return answer.text[:200] or answer.reason_phrase
    if isinstance(body, dict):
        return str(body.get("error") or body.get("message") or body)[:200]
    return str(body)[:200]
