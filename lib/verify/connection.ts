import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as tls from "node:tls";

/**
 * The two ways the verifier talks to an edge, a TLS handshake and one HTTP(S) exchange, each bounded by a timeout and
 * retried only when nothing answered. An answer (a TLS alert, a closed connection, any HTTP status) is never retried:
 * it is what we came to observe.
 */

/** Where one host is reached: the name (SNI, Host header, certificate checks) and the address actually dialled. */
export interface EdgeTarget {
  /** The host name being verified. */
  readonly host: string;
  /** Address or name to connect to (`--resolve`), else the host name itself. */
  readonly address: string;
  readonly httpsPort: number;
  readonly httpPort: number;
}

/** Bounds on every network operation; stated in the report and the README. */
export interface Timing {
  /** Per attempt: TCP connect plus TLS handshake, or TCP connect plus the whole HTTP response. */
  readonly timeoutMs: number;
  /** Extra attempts after an attempt that got no answer (connection refused, reset before connecting, timeout, DNS). */
  readonly retries: number;
  /** Pause before each retry. */
  readonly retryDelayMs: number;
}

/** Result of one TLS handshake probe. */
export type HandshakeOutcome =
  | {
      readonly kind: "accepted";
      /** Negotiated protocol as Node spells it: "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3". */
      readonly protocol: string;
      /** Negotiated suite, OpenSSL name. */
      readonly cipher: string;
      /** Chain verification against the `ca` given (the host name is checked separately). */
      readonly authorized: boolean;
      readonly authorizationError?: string;
      readonly peerCertificate: tls.DetailedPeerCertificate;
      /** The protocol the server chose by ALPN, or false when it chose none. */
      readonly alpnProtocol: string | false;
      /** TCP connect, then TLS handshake from connected to secureConnect, in milliseconds. */
      readonly tcpConnectMs: number;
      readonly handshakeMs: number;
      /** The offered session was resumed. */
      readonly sessionReused: boolean;
      /** The session (TLS 1.3: the first ticket) the server sent, when `waitForSessionMs` asked for it. */
      readonly session?: Buffer;
    }
  /** The server answered and the handshake failed: an alert, or the connection closed during the handshake. */
  | { readonly kind: "refused"; readonly reason: string }
  /** Nothing answered on any attempt. */
  | { readonly kind: "no-answer"; readonly reason: string; readonly attempts: number }
  /** Our own OpenSSL could not offer what was asked; nothing was learnt about the server. */
  | { readonly kind: "not-offered"; readonly reason: string };

/** What a handshake probe offers. */
export interface HandshakeOffer {
  readonly minVersion: tls.SecureVersion;
  readonly maxVersion: tls.SecureVersion;
  /** OpenSSL cipher string; `@SECLEVEL=0` is what lets OpenSSL 3 offer TLS 1.0/1.1 and weak suites at all. */
  readonly ciphers?: string;
  /** Trusted certificates for chain verification; unset = Node's bundled roots (the result is then not used). */
  readonly ca?: readonly string[];
  /** ALPN protocols to offer, most preferred first. */
  readonly alpnProtocols?: readonly string[];
  /** A session to resume (from an earlier outcome's `session`). */
  readonly session?: Buffer;
  /** After the handshake, wait this long for the server's session ticket (TLS 1.3 sends it after the handshake). */
  readonly waitForSessionMs?: number;
}

/** Errors raised by our own OpenSSL before it could ask the server anything. */
const LOCAL_ERRORS = new Set(["ERR_SSL_NO_CIPHERS_AVAILABLE", "ERR_SSL_NO_CIPHER_MATCH", "ERR_SSL_NO_PROTOCOLS_AVAILABLE"]);

/** One TLS handshake to `target` with `offer`, retried while nothing answers. */
export async function probeHandshake(target: EdgeTarget, offer: HandshakeOffer, timing: Timing): Promise<HandshakeOutcome> {
  return withRetries(timing, () => handshakeOnce(target, offer, timing.timeoutMs));
}

function handshakeOnce(target: EdgeTarget, offer: HandshakeOffer, timeoutMs: number): Promise<HandshakeOutcome | NoAnswer> {
  return new Promise((resolve) => {
    let tcpConnected = false;
    let socket: tls.TLSSocket;
    let settled = false;
    const started = process.hrtime.bigint();
    let connectedAt = started;
    let session: Buffer | undefined;
    let accepted: Extract<HandshakeOutcome, { kind: "accepted" }> | undefined;
    let sessionTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: HandshakeOutcome | NoAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(sessionTimer);
      socket.destroy();
      resolve(outcome);
    };
    try {
      socket = tls.connect({
        host: target.address,
        port: target.httpsPort,
        servername: net.isIP(target.host) ? undefined : target.host,
        minVersion: offer.minVersion,
        maxVersion: offer.maxVersion,
        ciphers: offer.ciphers,
        ca: offer.ca ? [...offer.ca] : undefined,
        ALPNProtocols: offer.alpnProtocols ? [...offer.alpnProtocols] : undefined,
        session: offer.session,
        // Chain and name are judged by the certificate check from what we record here; a probe must not stop at them.
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
    } catch (error) {
      resolve({ kind: "not-offered", reason: errorText(error) });
      return;
    }
    const timer = setTimeout(
      () => finish({ kind: "no-answer", reason: `no TLS handshake within ${seconds(timeoutMs)} (${tcpConnected ? "TCP connected, then silence" : "TCP connect did not complete"})` }),
      timeoutMs,
    );
    const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;
    socket.on("connect", () => {
      tcpConnected = true;
      connectedAt = process.hrtime.bigint();
    });
    socket.on("session", (ticket: Buffer) => {
      session ??= ticket;
      if (accepted) finish({ ...accepted, session });
    });
    socket.on("secureConnect", () => {
      const done = process.hrtime.bigint();
      accepted = {
        kind: "accepted",
        protocol: socket.getProtocol() ?? "unknown",
        cipher: socket.getCipher().name,
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        peerCertificate: socket.getPeerCertificate(true),
        alpnProtocol: socket.alpnProtocol ?? false,
        tcpConnectMs: ms(started, connectedAt),
        handshakeMs: ms(connectedAt, done),
        sessionReused: socket.isSessionReused(),
      };
      if (!offer.waitForSessionMs || session) finish({ ...accepted, session });
      else {
        clearTimeout(timer);
        sessionTimer = setTimeout(() => finish(accepted!), offer.waitForSessionMs);
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (accepted) finish(accepted);
      else if (error.code && LOCAL_ERRORS.has(error.code)) finish({ kind: "not-offered", reason: errorText(error) });
      else if (!tcpConnected) finish({ kind: "no-answer", reason: errorText(error) });
      else finish({ kind: "refused", reason: errorText(error) });
    });
  });
}

/** One HTTP(S) exchange. */
export type HttpOutcome =
  | {
      readonly kind: "answered";
      readonly status: number;
      readonly headers: http.IncomingHttpHeaders;
      /** Body bytes received (read up to MAX_BODY_BYTES, then the connection is dropped). */
      readonly bodyBytes: number;
    }
  | { readonly kind: "no-answer"; readonly reason: string; readonly attempts: number };

export interface HttpExchange {
  readonly scheme: "http" | "https";
  readonly method: string;
  /** Path and query, e.g. "/some/path?q=1". */
  readonly path: string;
}

const MAX_BODY_BYTES = 64 * 1024;

/** One request to the host's HTTP or HTTPS port with its own Host header; redirects are not followed. */
export async function exchange(target: EdgeTarget, request: HttpExchange, timing: Timing): Promise<HttpOutcome> {
  return withRetries(timing, () => exchangeOnce(target, request, timing.timeoutMs));
}

function exchangeOnce(target: EdgeTarget, request: HttpExchange, timeoutMs: number): Promise<HttpOutcome | NoAnswer> {
  return new Promise((resolve) => {
    const port = request.scheme === "https" ? target.httpsPort : target.httpPort;
    const defaultPort = request.scheme === "https" ? 443 : 80;
    let settled = false;
    const settle = (outcome: HttpOutcome | NoAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const options: https.RequestOptions = {
      host: target.address,
      port,
      method: request.method,
      path: request.path,
      headers: { host: port === defaultPort ? target.host : `${target.host}:${port}`, "user-agent": "tls-edge-verify" },
      agent: false,
    };
    const req =
      request.scheme === "https"
        ? https.request({ ...options, servername: net.isIP(target.host) ? undefined : target.host, rejectUnauthorized: false, checkServerIdentity: () => undefined })
        : http.request(options);
    const timer = setTimeout(() => settle({ kind: "no-answer", reason: `no HTTP response within ${seconds(timeoutMs)}` }), timeoutMs);
    req.on("response", (response) => {
      let bodyBytes = 0;
      const done = () => settle({ kind: "answered", status: response.statusCode ?? 0, headers: response.headers, bodyBytes });
      response.on("data", (chunk: Buffer) => {
        bodyBytes += chunk.length;
        if (bodyBytes >= MAX_BODY_BYTES) done();
      });
      response.on("end", done);
      response.on("error", done);
    });
    req.on("error", (error) => settle({ kind: "no-answer", reason: errorText(error) }));
    req.end();
  });
}

type NoAnswer = { readonly kind: "no-answer"; readonly reason: string };

/** Runs `attempt` up to 1 + retries times while it gets no answer; the last reason is kept. */
async function withRetries<T extends { readonly kind: string }>(
  timing: Timing,
  attempt: () => Promise<T | NoAnswer>,
): Promise<Exclude<T, NoAnswer> | (NoAnswer & { readonly attempts: number })> {
  let last: NoAnswer | undefined;
  for (let n = 1; n <= 1 + timing.retries; n++) {
    if (n > 1) await new Promise((resolve) => setTimeout(resolve, timing.retryDelayMs));
    const outcome = await attempt();
    if (outcome.kind !== "no-answer") return outcome as Exclude<T, NoAnswer>;
    last = outcome as NoAnswer;
  }
  return { kind: "no-answer", reason: last!.reason, attempts: 1 + timing.retries };
}

/** A short error text: OpenSSL's reason without its file/line trailer, or Node's code and message. */
export function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { reason?: string };
  if (typeof e?.reason === "string" && e.reason) return e.reason;
  const message = String(e?.message ?? error);
  const ssl = /SSL routines:[^:]*:([^:]+):/.exec(message);
  return ssl ? ssl[1] : message;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** An outcome in a few words: "accepted (TLSv1.3, TLS_AES_128_GCM_SHA256)", "refused (tlsv1 alert protocol version)". */
export function describeOutcome(outcome: HandshakeOutcome): string {
  switch (outcome.kind) {
    case "accepted":
      return `accepted (${outcome.protocol}, ${outcome.cipher})`;
    case "refused":
      return `refused (${outcome.reason})`;
    case "no-answer":
      return `no answer after ${outcome.attempts} attempt(s) (${outcome.reason})`;
    case "not-offered":
      return `not probed: this machine's OpenSSL could not offer it (${outcome.reason})`;
  }
}
