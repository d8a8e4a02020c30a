import { promises as dns } from "node:dns";
import * as net from "node:net";
import { describeOutcome, EdgeTarget, HandshakeOutcome, probeHandshake, Timing } from "./connection";
import { CheckResult, InfoItem } from "./report";

/**
 * What a client's own handshake shows, measured with Node's TLS client: HTTP/2 by ALPN (a finding when missing), and
 * the TLS 1.3 handshake time and session resumption (information only: the full handshake is what every new client
 * pays; resumption and HTTP/2's one connection per origin are how it is paid less often).
 */

/** What the first contact offers by ALPN: HTTP/2 first, as browsers do. */
export const ALPN_OFFER = ["h2", "http/1.1"] as const;

/** HTTP/2 must be chosen by ALPN, as an ALB does by default (`routing.http2.enabled`). */
export function evaluateHttp2(host: string, handshake: HandshakeOutcome): CheckResult {
  const expected = `h2 selected by ALPN (offered ${ALPN_OFFER.join(", ")}), as an ALB does by default`;
  if (handshake.kind !== "accepted") return { host, check: "http2", ok: false, expected, got: `no TLS 1.2/1.3 handshake to negotiate it in: ${describeOutcome(handshake)}` };
  const alpn = handshake.alpnProtocol;
  return { host, check: "http2", ok: alpn === "h2", expected, got: alpn ? `${alpn} selected by ALPN` : "no protocol selected by ALPN (the server ignored the extension)" };
}

/** Two TLS 1.3 handshakes to one address: the first full, the second offering the first one's session ticket. */
export async function probeTls13Sessions(target: EdgeTarget, timing: Timing): Promise<InfoItem[]> {
  const info = (item: string, value: string): InfoItem => ({ host: target.host, item, value });
  let address = target.address;
  if (net.isIP(address) === 0) {
    try {
      // An ALB resumes only on the address that issued the ticket: both handshakes go to one address.
      address = (await dns.lookup(address)).address;
    } catch (error) {
      const reason = `not measured: ${target.address} did not resolve (${(error as NodeJS.ErrnoException).code ?? error})`;
      return [info("tls1.3-handshake", reason), info("tls1.3-resumption", reason)];
    }
  }
  const pinned = { ...target, address };
  const waitForSessionMs = Math.min(timing.timeoutMs, 2000);
  const first = await probeHandshake(pinned, { minVersion: "TLSv1.3", maxVersion: "TLSv1.3", waitForSessionMs }, timing);
  if (first.kind !== "accepted") {
    const reason = `not measured: TLS 1.3 ${describeOutcome(first)}`;
    return [info("tls1.3-handshake", reason), info("tls1.3-resumption", reason)];
  }
  const full = `${first.handshakeMs.toFixed(1)} ms full handshake to ${address} (after a ${first.tcpConnectMs.toFixed(1)} ms TCP connect)`;
  if (!first.session) {
    return [info("tls1.3-handshake", full), info("tls1.3-resumption", `not resumed: the server sent no session ticket within ${waitForSessionMs / 1000} s`)];
  }
  const second = await probeHandshake(pinned, { minVersion: "TLSv1.3", maxVersion: "TLSv1.3", session: first.session }, timing);
  if (second.kind !== "accepted") return [info("tls1.3-handshake", full), info("tls1.3-resumption", `not measured: the second handshake was ${describeOutcome(second)}`)];
  return [
    info("tls1.3-handshake", `${full}; ${second.handshakeMs.toFixed(1)} ms ${second.sessionReused ? "resumed" : "second full"} handshake`),
    info("tls1.3-resumption", second.sessionReused ? "resumed with the server's session ticket (PSK)" : "not resumed: the server sent a ticket, then refused it and did a full handshake"),
  ];
}
