"""TLS scan of an edge's hosts with sslyze, for `npm run verify` (lib/verify/tls-scan.ts starts it).

Reads one JSON request on stdin:
  {"targets": [{"id": "0", "host": "api.example.com", "address": "203.0.113.10", "port": 443}],
   "timeoutSeconds": 10, "retries": 2, "trustPems": ["-----BEGIN CERTIFICATE-----..."],
   "caFile": "ca.pem" | null, "now": "2026-12-04T00:00:00Z" | null}
and writes one JSON line per target as its scan completes (scans run concurrently), then {"done": true}.
It observes and reports; every verdict is made in TypeScript (lib/verify/tls-checks.ts).

Path validation uses the `cryptography` verifier sslyze itself uses (RFC 5280 with the CA/Browser Forum's server
certificate profile), against Mozilla's roots as sslyze ships them plus `trustPems`, three times:
  withName      for the host name, now (what a browser does);
  ignoringName  for a name the leaf itself carries, now (the chain alone; the name is judged on its own);
  atLeafValidity for that name, at the last second of the leaf's validity, only when the leaf is outside it now
                (an expired leaf is one problem, reported once, not also as a broken chain).
"""
import datetime
import ipaddress
import json
import sys
import traceback
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import DNSName, IPAddress, SubjectAlternativeName, load_pem_x509_certificate
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError
from sslyze import (
    CertificateInfoExtraArgument,
    ScanCommand,
    ScanCommandAttemptStatusEnum,
    ScanCommandsExtraArguments,
    Scanner,
    ServerNetworkConfiguration,
    ServerNetworkLocation,
    ServerScanRequest,
    ServerScanStatusEnum,
)
from sslyze.mozilla_tls_profile.tls_config_checker import (
    MozillaTlsConfiguration,
    ServerNotCompliantWithTlsConfiguration,
    ServerScanResultIncomplete,
    TlsConfigurationEnum,
    check_server_against_tls_configuration,
)
from sslyze.plugins.certificate_info.trust_stores.trust_store_repository import TrustStoresRepository

# Every scan command but HTTP headers (the verifier's own HTTP checks judge those against the environment).
SCAN_COMMANDS = {
    ScanCommand.CERTIFICATE_INFO,
    ScanCommand.SSL_2_0_CIPHER_SUITES,
    ScanCommand.SSL_3_0_CIPHER_SUITES,
    ScanCommand.TLS_1_0_CIPHER_SUITES,
    ScanCommand.TLS_1_1_CIPHER_SUITES,
    ScanCommand.TLS_1_2_CIPHER_SUITES,
    ScanCommand.TLS_1_3_CIPHER_SUITES,
    ScanCommand.TLS_COMPRESSION,
    ScanCommand.TLS_1_3_EARLY_DATA,
    ScanCommand.OPENSSL_CCS_INJECTION,
    ScanCommand.TLS_FALLBACK_SCSV,
    ScanCommand.HEARTBLEED,
    ScanCommand.ROBOT,
    ScanCommand.SESSION_RENEGOTIATION,
    ScanCommand.SESSION_RESUMPTION,
    ScanCommand.ELLIPTIC_CURVES,
    ScanCommand.TLS_EXTENDED_MASTER_SECRET,
}

PROTOCOLS = [
    ("SSLv2", "ssl_2_0_cipher_suites"),
    ("SSLv3", "ssl_3_0_cipher_suites"),
    ("TLSv1", "tls_1_0_cipher_suites"),
    ("TLSv1.1", "tls_1_1_cipher_suites"),
    ("TLSv1.2", "tls_1_2_cipher_suites"),
    ("TLSv1.3", "tls_1_3_cipher_suites"),
]

# Connectivity errors where the server answered (a TLS alert or a closed handshake) rather than staying silent.
ANSWERED_ERRORS = {"ServerRejectedTlsHandshake", "ServerTlsConfigurationNotSupported", "ServerRejectedOpportunisticTlsNegotiation"}


def main() -> int:
    request = json.load(sys.stdin)
    now = parse_time(request.get("now")) or datetime.datetime.now(datetime.timezone.utc)
    store = trust_store(request.get("trustPems") or [])
    ca_file = request.get("caFile")
    by_id = {}
    scan_requests = []
    for target in request["targets"]:
        location = ServerNetworkLocation(hostname=target["host"], port=target["port"], ip_address=target["address"])
        config = ServerNetworkConfiguration(
            tls_server_name_indication=target["host"],
            network_timeout=request["timeoutSeconds"],
            network_max_retries=request["retries"],
        )
        extra = ScanCommandsExtraArguments(certificate_info=CertificateInfoExtraArgument(custom_ca_file=Path(ca_file))) if ca_file else ScanCommandsExtraArguments()
        scan = ServerScanRequest(server_location=location, network_configuration=config, scan_commands=SCAN_COMMANDS, scan_commands_extra_arguments=extra)
        by_id[scan.uuid] = target
        scan_requests.append(scan)

    scanner = Scanner()
    scanner.queue_scans(scan_requests)
    for result in scanner.get_results():
        target = by_id[result.uuid]
        try:
            line = describe(target, result, store, now)
        except Exception:  # a bug here must not hide the other hosts' results
            line = {"id": target["id"], "host": target["host"], "driverError": traceback.format_exc(limit=3)}
        print(json.dumps(line), flush=True)
    print(json.dumps({"done": True}), flush=True)
    return 0


def describe(target, result, store, now):
    out = {"id": target["id"], "host": target["host"]}
    if result.scan_status != ServerScanStatusEnum.COMPLETED:
        trace = result.connectivity_error_trace
        kind = trace.exc_type.__name__ if trace else "unknown"
        # sslyze's message reads 'host:port -> "reason".'; the reason is what matters.
        message = "".join(trace.format_exception_only()).strip() if trace else "no connectivity"
        reason = message.split(' -> "', 1)[-1].rstrip('".')
        out["connectivity"] = {"ok": False, "answered": kind in ANSWERED_ERRORS, "error": f"{reason} ({kind})"}
        return out
    out["connectivity"] = {"ok": True, "highestVersion": result.connectivity_result.highest_tls_version_supported.name}
    scan = result.scan_result
    errors = {}
    for command in SCAN_COMMANDS:
        attempt = getattr(scan, command.value)
        if attempt.status != ScanCommandAttemptStatusEnum.COMPLETED:
            reason = attempt.error_reason.value if attempt.error_reason else attempt.status.value
            errors[command.value] = f"{reason}: {short(attempt.error_trace.format_exception_only()[-1]) if attempt.error_trace else ''}".rstrip(": ")
    out["errors"] = errors

    protocols = {}
    for name, field in PROTOCOLS:
        res = completed(scan, field)
        if res is None:
            continue
        protocols[name] = {
            "supported": res.is_tls_version_supported,
            "accepted": [suite(accepted) for accepted in res.accepted_cipher_suites],
            "firstRejection": next((r.error_message.strip() for r in res.rejected_cipher_suites if r.error_message), None),
        }
    out["protocols"] = protocols

    certinfo = completed(scan, "certificate_info")
    if certinfo is not None and certinfo.certificate_deployments:
        deployment = certinfo.certificate_deployments[0]
        chain = deployment.received_certificate_chain
        out["certificate"] = {
            "chain": [c.public_bytes(Encoding.PEM).decode("ascii") for c in chain],
            "validation": validations(target["host"], chain, store, now),
            "ocspStapled": deployment.ocsp_response is not None,
            "mustStaple": deployment.leaf_certificate_has_must_staple_extension,
            "sctCount": deployment.leaf_certificate_signed_certificate_timestamps_count,
            "chainOrderValid": deployment.received_chain_has_valid_order,
            "sendsAnchor": deployment.received_chain_contains_anchor_certificate,
        }

    extras = {}
    if (r := completed(scan, "tls_compression")) is not None:
        extras["compression"] = r.supports_compression
    if (r := completed(scan, "tls_1_3_early_data")) is not None:
        extras["earlyData"] = r.supports_early_data
    if (r := completed(scan, "openssl_ccs_injection")) is not None:
        extras["ccsInjection"] = r.is_vulnerable_to_ccs_injection
    if (r := completed(scan, "tls_fallback_scsv")) is not None:
        extras["fallbackScsv"] = r.supports_fallback_scsv
    if (r := completed(scan, "heartbleed")) is not None:
        extras["heartbleed"] = r.is_vulnerable_to_heartbleed
    if (r := completed(scan, "robot")) is not None:
        extras["robot"] = r.robot_result.name
    if (r := completed(scan, "session_renegotiation")) is not None:
        extras["secureRenegotiation"] = r.supports_secure_renegotiation
        extras["clientRenegotiationDos"] = r.is_vulnerable_to_client_renegotiation_dos
    if (r := completed(scan, "session_resumption")) is not None:
        extras["resumption"] = {"sessionId": r.session_id_resumption_result.name, "ticket": r.tls_ticket_resumption_result.name}
    if (r := completed(scan, "elliptic_curves")) is not None:
        extras["groups"] = {
            "ecdh": r.supports_ecdh_key_exchange,
            "supported": [c.name for c in r.supported_curves or []],
        }
    if (r := completed(scan, "tls_extended_master_secret")) is not None:
        extras["extendedMasterSecret"] = r.supports_ems_extension
    out["extras"] = extras

    try:
        check_server_against_tls_configuration(result, MozillaTlsConfiguration.get(TlsConfigurationEnum.MOZILLA_INTERMEDIATE))
        out["mozillaIntermediate"] = {"compliant": True, "issues": {}}
    except ServerNotCompliantWithTlsConfiguration as e:
        out["mozillaIntermediate"] = {"compliant": False, "issues": e.issues}
    except ServerScanResultIncomplete as e:
        out["mozillaIntermediate"] = {"incomplete": str(e)}
    return out


def suite(accepted):
    key = accepted.ephemeral_key
    exchange = None
    if key is not None:
        exchange = {"type": key.type_name, "size": key.size, "curve": getattr(key, "curve_name", None)}
    return {"name": accepted.cipher_suite.openssl_name or accepted.cipher_suite.name, "iana": accepted.cipher_suite.name, "ephemeralKey": exchange}


def completed(scan, field):
    attempt = getattr(scan, field)
    return attempt.result if attempt.status == ScanCommandAttemptStatusEnum.COMPLETED else None


def trust_store(pems):
    """Mozilla's roots as sslyze ships them, plus `pems`; a certificate that does not parse is skipped."""
    texts = [TrustStoresRepository.get_default().get_main_store().path.read_text(), *pems]
    roots = []
    for text in texts:
        for block in text.split("-----END CERTIFICATE-----")[:-1]:
            pem = block[block.find("-----BEGIN CERTIFICATE-----"):] + "-----END CERTIFICATE-----\n"
            try:
                roots.append(load_pem_x509_certificate(pem.encode("ascii")))
            except Exception:
                continue
    return Store(roots)


def validations(host, chain, store, now):
    leaf, intermediates = chain[0], list(chain[1:])
    own_name = leaf_dns_name(leaf)
    result = {"withName": verify(store, subject(host), now, leaf, intermediates)}
    result["ignoringName"] = verify(store, DNSName(own_name), now, leaf, intermediates) if own_name else None
    result["atLeafValidity"] = None
    if own_name and not (leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc):
        moment = leaf.not_valid_after_utc if now > leaf.not_valid_after_utc else leaf.not_valid_before_utc
        result["atLeafValidity"] = verify(store, DNSName(own_name), moment, leaf, intermediates)
    return result


def verify(store, name, moment, leaf, intermediates):
    try:
        verifier = PolicyBuilder().store(store).time(moment).build_server_verifier(name)
        verified = verifier.verify(leaf, intermediates)
        return {"ok": True, "path": [c.subject.rfc4514_string() for c in verified]}
    except VerificationError as e:
        return {"ok": False, "error": short(str(e.args[0]))}
    except Exception as e:  # e.g. a name cryptography will not accept as a DNS name
        return {"ok": False, "error": short(f"{type(e).__name__}: {e}")}


def leaf_dns_name(leaf):
    try:
        names = leaf.extensions.get_extension_for_class(SubjectAlternativeName).value.get_values_for_type(DNSName)
    except Exception:
        return None
    # A wildcard is not a name to verify for; its base label stands in for any name it covers.
    return next((n.replace("*.", "wildcard-check.", 1) for n in names), None)


def subject(host):
    try:
        return IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return DNSName(host)


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def short(text):
    """cryptography's messages end with the certificate's repr; the reason is what matters."""
    text = " ".join(str(text).split())
    cut = text.find(" (encountered processing")
    return text[:cut] if cut >= 0 else text


if __name__ == "__main__":
    sys.exit(main())
