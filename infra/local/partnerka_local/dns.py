"""A small authoritative DNS server on loopback UDP: the public DNS in which tenants publish their
ownership TXT and edge CNAME records, for the local platform and the tests.

The domain checker's ResolverLookup is pointed at it (`127.0.0.1:<port>`). It answers TXT and CNAME
questions from an in-memory zone, follows a CNAME inside the zone as an authoritative server does,
says NXDOMAIN for a name it does not know (NOERROR for a name that only has names under it), and can
be told to answer SERVFAIL or REFUSED for a name, as a broken upstream would. UDP only: a question
without EDNS (dnspython's resolver asks so) gets the whole answer in one datagram where a public
server would truncate at 512 bytes and be asked again over TCP, so the asker ends with the same
records; a question with a smaller EDNS buffer than the answer gets it truncated (TC), as it should.

With a zone file, the zone is kept in it as JSON, so a developer can add or change records of the
local platform by editing the file; each question reads it again if it changed:

    {"partners.acme.localhost": {"cname": "edge.partnerka.localhost"},
     "_partnerka.partners.acme.localhost": {"txt": ["partnerka-verification=..."]},
     "flaky.acme.localhost": {"fail": "SERVFAIL"}}
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
from dns.rdtypes.ANY.TXT import TXT

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
TTL = 60
FAILURES = {"SERVFAIL": dns.rcode.SERVFAIL, "REFUSED": dns.rcode.REFUSED}
# A character-string holds at most 255 bytes; a longer TXT value goes out as several, which
# resolvers join back (as a 2048-bit DKIM key is published).
MAX_STRING = 255
# CNAMEs followed within the zone for one question, so a loop ends.
MAX_CHAIN = 8


@dataclass
class Records:
    """What the zone holds for one name. A name with a CNAME has no other records (RFC 1034 §3.6.2)."""

    txt: list[bytes] = field(default_factory=list)
    cname: str | None = None  # the target as written
    fail: str | None = None  # a key of FAILURES


class LocalDns:
    """The server, started on 127.0.0.1:`port` (0: any free port) when made; `close()` stops it."""

    def __init__(self, port: int = 0, zone_file: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._zone: dict[str, Records] = {}
        self._zone_file = zone_file
        self._zone_text: bytes | None = None  # the file as last read or written
        if zone_file is not None:
            if zone_file.exists():
                self._zone_text = zone_file.read_bytes()
                self._zone = _zone_from_json(self._zone_text)
            else:
                self._save()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind((HOST, port))
        self.port: int = self._socket.getsockname()[1]
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"local-dns-{self.port}", daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        """The nameserver setting that points a ResolverLookup here."""
        return f"{HOST}:{self.port}"

    def set_txt(self, name: str, values: Iterable[str | bytes]) -> None:
        """`name`'s TXT records, one per value (a CNAME of the name goes)."""
        records = [value.encode() if isinstance(value, str) else bytes(value) for value in values]
        self._change(name, Records(txt=records))

    def set_cname(self, name: str, target: str) -> None:
        """`name` is an alias of `target` (the name's other records go)."""
        self._change(name, Records(cname=_as_written(target)))

    def fail(self, name: str, rcode: str = "SERVFAIL") -> None:
        """Questions about `name` are answered SERVFAIL or REFUSED."""
        if rcode not in FAILURES:
            raise ValueError(f"a failure is one of {', '.join(FAILURES)}")
        self._change(name, Records(fail=rcode))

    def remove(self, name: str) -> None:
        self._change(name, None)

    def close(self) -> None:
        if self._closing.is_set():
            return
        self._closing.set()
        # An empty datagram of our own wakes the server thread from its blocking read.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as waker:
            waker.sendto(b"", (HOST, self.port))
        self._thread.join(timeout=5)
        self._socket.close()

    def __enter__(self) -> LocalDns:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _change(self, name: str, records: Records | None) -> None:
        with self._lock:
            # A developer's valid edit is kept; an invalid one (warned about) is overwritten.
            self._reload_if_edited()
            if records is None:
                self._zone.pop(_key(name), None)
            else:
                self._zone[_key(name)] = records
            self._save()

    def _save(self) -> None:
        if self._zone_file is None:
            return
        text = _zone_to_json(self._zone)
        partial = self._zone_file.with_name(self._zone_file.name + ".partial")
        partial.write_bytes(text)
        os.replace(partial, self._zone_file)  # a reader never sees half a file
        self._zone_text = text

    def _reload_if_edited(self) -> None:
        if self._zone_file is None:
            return
        try:
            text = self._zone_file.read_bytes()
        except FileNotFoundError:
            return  # mid-save by an editor that deletes before it writes: keep what we have
        if text == self._zone_text:
            return
        self._zone_text = text
        try:
            self._zone = _zone_from_json(text)
        except ValueError as error:
            log.warning(
                "local DNS: %s is not a valid zone, still serving the previous one: %s",
                self._zone_file,
                error,
            )

    def _serve(self) -> None:
        while True:
            try:
                query, peer = self._socket.recvfrom(65535)
            except OSError:
                return
            if self._closing.is_set():
                return
            try:
                reply = self._reply(query)
            except Exception:
                log.exception("local DNS: could not answer a query")
                continue
            if reply is not None:
                try:
                    self._socket.sendto(reply, peer)
                except OSError as error:
                    log.warning("local DNS: could not send an answer to %s: %s", peer, error)

    def _reply(self, wire: bytes) -> bytes | None:
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None  # not a DNS query: a real server drops it too
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if query.opcode() != dns.opcode.QUERY:
            response.set_rcode(dns.rcode.NOTIMP)
        elif len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
        else:
            question = query.question[0]
            with self._lock:
                self._reload_if_edited()
                self._answer(response, question.name, question.rdtype)
        try:
            return response.to_wire()
        except dns.exception.TooBig:
            response.answer.clear()
            response.flags |= dns.flags.TC
            return response.to_wire()

    def _answer(self, response: dns.message.Message, qname: dns.name.Name, qtype: int) -> None:
        name = qname.canonicalize().to_text(omit_final_dot=True)
        for _ in range(MAX_CHAIN):
            records = self._zone.get(name)
            if records is None:
                if not self._has_names_under(name):
                    response.set_rcode(dns.rcode.NXDOMAIN)
                return
            if records.fail is not None:
                response.answer.clear()
                response.set_rcode(FAILURES[records.fail])
                return
            owner = dns.name.from_text(name)
            if records.cname is not None:
                alias = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.CNAME, records.cname + ".")
                response.answer.append(dns.rrset.from_rdata(owner, TTL, alias))
                if qtype == dns.rdatatype.CNAME:
                    return
                name = _key(records.cname)
                continue
            if qtype == dns.rdatatype.TXT and records.txt:
                texts = [TXT(dns.rdataclass.IN, dns.rdatatype.TXT, _strings(value)) for value in records.txt]
                response.answer.append(dns.rrset.from_rdata(owner, TTL, *texts))
            return

    def _has_names_under(self, name: str) -> bool:
        return any(other.endswith("." + name) for other in self._zone)


def _key(name: str) -> str:
    """A name as the zone keys it: lowercase, ASCII (an IDN in A-labels), without the final dot."""
    return dns.name.from_text(name).canonicalize().to_text(omit_final_dot=True)


def _as_written(name: str) -> str:
    """A CNAME's target as given (servers keep the case of what was entered), without the final dot."""
    return dns.name.from_text(name).to_text(omit_final_dot=True)


def _strings(value: bytes) -> list[bytes]:
    return [value[start : start + MAX_STRING] for start in range(0, len(value), MAX_STRING)] or [b""]


def _zone_to_json(zone: dict[str, Records]) -> bytes:
    document: dict[str, dict[str, Any]] = {}
    for name, records in sorted(zone.items()):
        entry: dict[str, Any] = {}
        if records.txt:
            # surrogateescape keeps bytes that are not UTF-8 (JSON writes them as \udcXX escapes)
            entry["txt"] = [value.decode("utf-8", "surrogateescape") for value in records.txt]
        if records.cname is not None:
            entry["cname"] = records.cname
        if records.fail is not None:
            entry["fail"] = records.fail
        document[name] = entry
    return (json.dumps(document, indent=2) + "\n").encode()


def _zone_from_json(text: bytes) -> dict[str, Records]:
    """The zone a file holds; ValueError (naming the entry) for one this server could not serve."""
    document = json.loads(text)  # JSONDecodeError is a ValueError
    if not isinstance(document, dict):
        raise ValueError("a zone is a JSON object of names")
    zone: dict[str, Records] = {}
    for name, entry in document.items():
        if not isinstance(entry, dict) or not set(entry) <= {"txt", "cname", "fail"}:
            raise ValueError(f"{name}: an entry has only txt (a list of strings), cname and fail")
        txt = entry.get("txt", [])
        cname = entry.get("cname")
        fail = entry.get("fail")
        if not isinstance(txt, list) or not all(isinstance(value, str) for value in txt):
            raise ValueError(f"{name}: txt is a list of strings")
        if cname is not None and (not isinstance(cname, str) or txt):
            raise ValueError(f"{name}: cname is one name, and a name with a CNAME has no TXT records")
        if fail is not None and fail not in FAILURES:
            raise ValueError(f"{name}: fail is one of {', '.join(FAILURES)}")
        try:
            records = Records(
                txt=[value.encode("utf-8", "surrogateescape") for value in txt],
                cname=None if cname is None else _as_written(cname),
                fail=fail,
            )
            zone[_key(name)] = records
        except (UnicodeError, dns.exception.DNSException) as error:
            raise ValueError(f"{name}: {error}") from None
    return zone
