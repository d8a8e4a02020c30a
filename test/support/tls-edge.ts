/**
 * Test harness for the edge verifier: a throwaway CA (openssl CLI), local HTTPS/HTTP servers that play an edge with
 * one defect each, `openssl s_server` for an independent TLS stack, and a runner for the real CLI. Everything binds
 * 127.0.0.1 on a free port and is stopped by `ServerSet.closeAll()` (call it in afterAll).
 */
import { execFileSync, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as http2 from "node:http2";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { KeyAlgorithm } from "../../lib/config/environment-config";

const DAY_MS = 24 * 60 * 60 * 1000;
const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** A certificate and its key, as PEM text and files. */
export interface IssuedCertificate {
  /** What a server sends: the leaf, then the intermediate. */
  readonly cert: string;
  /** The leaf alone. */
  readonly leaf: string;
  /** The leaf's notAfter as the verifier prints it (ISO 8601). */
  readonly notAfterIso: string;
  readonly key: string;
  /** The leaf alone, as a file (`openssl s_server -cert`). */
  readonly certPath: string;
  /** The intermediate, as a file (`openssl s_server -cert_chain`). */
  readonly chainPath: string;
  readonly keyPath: string;
}

/** Leaf key: ACM's algorithms, or an RSA key of any size (a weak one for the corpus). */
export type LeafKey = KeyAlgorithm | { readonly rsaBits: number };

/**
 * A CA made for one test run with `openssl ca` (which, unlike `openssl x509`, can backdate a certificate), shaped like
 * a public one: a root, an intermediate that issues the leaves, and leaves with the extensions the CA/Browser Forum
 * profile requires (SKI/AKI, key usage, serverAuth EKU, SAN). sslyze's path validation (cryptography's, RFC 5280)
 * refuses leaves without them where Node's accepts; the options below leave them out on purpose.
 */
export class TestCa {
  /** Creates the root and the intermediate in a fresh temp directory. */
  static create(name = "tls-edge-verify test"): TestCa {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-ca-"));
    const ca = new TestCa(dir);
    fs.writeFileSync(ca.file("index.txt"), "");
    fs.writeFileSync(ca.file("serial"), "1000\n");
    fs.writeFileSync(
      ca.file("ca.cnf"),
      [
        "[ca]", "default_ca = test", "[test]", `database = ${ca.file("index.txt")}`, `new_certs_dir = ${dir}`,
        `serial = ${ca.file("serial")}`, "default_md = sha256", "policy = any", "unique_subject = no", "[any]", "commonName = supplied",
      ].join("\n") + "\n",
    );
    // The root is self-signed with `openssl ca -selfsign` so that it, too, can be backdated: path validation checks
    // the anchor's validity as well, also when an expired leaf's chain is judged at the leaf's last valid second.
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ca.file("root.key")]);
    openssl(["req", "-new", "-key", ca.file("root.key"), "-subj", `/CN=${name} root CA`, "-out", ca.file("root.csr")]);
    fs.writeFileSync(ca.file("root.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
    openssl(["ca", "-batch", "-selfsign", "-config", ca.file("ca.cnf"), "-keyfile", ca.file("root.key"), "-in", ca.file("root.csr"), "-extfile", ca.file("root.ext"),
      "-startdate", opensslDate(new Date(Date.now() - 3650 * DAY_MS)), "-enddate", opensslDate(new Date(Date.now() + 3650 * DAY_MS)), "-out", ca.file("root.txt")]);
    fs.writeFileSync(ca.caPath, pemOf(fs.readFileSync(ca.file("root.txt"), "utf8")));
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ca.file("intermediate.key")]);
    openssl(["req", "-new", "-key", ca.file("intermediate.key"), "-subj", `/CN=${name} intermediate CA`, "-out", ca.file("intermediate.csr")]);
    fs.writeFileSync(
      ca.file("intermediate.ext"),
      "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,digitalSignature,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n",
    );
    openssl(["ca", "-batch", "-config", ca.file("ca.cnf"), "-cert", ca.caPath, "-keyfile", ca.file("root.key"), "-in", ca.file("intermediate.csr"),
      "-extfile", ca.file("intermediate.ext"), "-startdate", opensslDate(new Date(Date.now() - 1000 * DAY_MS)), "-enddate", opensslDate(new Date(Date.now() + 3000 * DAY_MS)),
      "-out", ca.file("intermediate.txt")]);
    fs.writeFileSync(ca.intermediatePath, pemOf(fs.readFileSync(ca.file("intermediate.txt"), "utf8")));
    return ca;
  }

  /** The root certificate, for `--ca-file`. */
  readonly caPath: string;
  /** The intermediate certificate that issues the leaves. */
  readonly intermediatePath: string;

  private constructor(private readonly dir: string) {
    this.caPath = this.file("root.pem");
    this.intermediatePath = this.file("intermediate.pem");
  }

  /**
   * Issues a server certificate for `names` valid from `notBefore` to `notAfter`, signed by the intermediate.
   * `omit`: leave out the Authority Key Identifier ("aki") or the subjectAltName ("san", the name then only in the CN).
   */
  issue(
    label: string,
    props: { names: readonly string[]; notBefore: Date; notAfter: Date; keyAlgorithm?: LeafKey; omit?: readonly ("aki" | "san")[] },
  ): IssuedCertificate {
    const keyPath = this.file(`${label}.key`);
    const certPath = this.file(`${label}.pem`);
    const key = props.keyAlgorithm ?? "EC_prime256v1";
    const rsaBits = typeof key === "object" ? key.rsaBits : key === "RSA_2048" ? 2048 : undefined;
    if (rsaBits) openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", `rsa_keygen_bits:${rsaBits}`, "-out", keyPath]);
    else openssl(["ecparam", "-name", key === "EC_secp384r1" ? "secp384r1" : "prime256v1", "-genkey", "-noout", "-out", keyPath]);
    openssl(["req", "-new", "-key", keyPath, "-subj", `/CN=${props.names[0]}`, "-out", this.file(`${label}.csr`)]);
    const omit = new Set(props.omit ?? []);
    const extensions = [
      "basicConstraints=critical,CA:FALSE",
      `keyUsage=critical,digitalSignature${rsaBits ? ",keyEncipherment" : ""}`,
      "extendedKeyUsage=serverAuth",
      "subjectKeyIdentifier=hash",
      omit.has("aki") ? "authorityKeyIdentifier=none" : "authorityKeyIdentifier=keyid:always",
      ...(omit.has("san") ? [] : [`subjectAltName=${props.names.map((n) => `DNS:${n}`).join(",")}`]),
    ];
    fs.writeFileSync(this.file(`${label}.ext`), extensions.join("\n") + "\n");
    openssl(["ca", "-batch", "-config", this.file("ca.cnf"), "-cert", this.intermediatePath, "-keyfile", this.file("intermediate.key"),
      "-in", this.file(`${label}.csr`), "-extfile", this.file(`${label}.ext`),
      "-startdate", opensslDate(props.notBefore), "-enddate", opensslDate(props.notAfter), "-out", certPath]);
    const leaf = pemOf(fs.readFileSync(certPath, "utf8"));
    const intermediate = fs.readFileSync(this.intermediatePath, "utf8");
    const notAfterIso = new Date(new crypto.X509Certificate(leaf).validTo).toISOString();
    return { cert: leaf + pemOf(intermediate), leaf, notAfterIso, key: fs.readFileSync(keyPath, "utf8"), certPath, chainPath: this.intermediatePath, keyPath };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }
}

/** The PEM block of an `openssl ca` output file (which prints the certificate as text first). */
function pemOf(text: string): string {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(text);
  if (!match) throw new Error("no PEM certificate in openssl output");
  return match[0].endsWith("\n") ? match[0] : `${match[0]}\n`;
}

/** `days` from now (negative: in the past). */
export function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * DAY_MS);
}

/** A started server: its port and how to stop it. */
export interface Running {
  readonly port: number;
  close(): Promise<void>;
}

/** Every server a suite started, stopped together in afterAll, also when a test failed. */
export class ServerSet {
  private readonly running: Running[] = [];

  async add(start: Promise<Running>): Promise<Running> {
    const server = await start;
    this.running.push(server);
    return server;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.running.splice(0).map((server) => server.close()));
  }
}

/**
 * HTTPS edge: answers every request 404 (like the stack's fixed response), with `hsts` as its HSTS header if set.
 * Like an ALB by default it offers HTTP/2 by ALPN (with HTTP/1.1 beside it) and the groups X25519, P-256 and P-384.
 */
export function startHttpsEdge(props: {
  certificate: IssuedCertificate;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  hsts?: string;
  /** @default true; false: an HTTP/1.1-only server (ALPN http/1.1) */
  http2?: boolean;
  /** @default false; true: send the leaf without its intermediate */
  leafOnly?: boolean;
  /** @default "X25519:P-256:P-384" */
  groups?: string;
  /** @default true; false: tickets are still sent (stateful), but no session is ever resumed */
  resumption?: boolean;
  /** @default none; further response headers (the security headers an environment has the load balancer write) */
  headers?: Readonly<Record<string, string>>;
}): Promise<Running> {
  const options: tls.TlsOptions = {
    cert: props.leafOnly ? props.certificate.leaf : props.certificate.cert,
    key: props.certificate.key,
    minVersion: props.minVersion ?? "TLSv1.2",
    maxVersion: props.maxVersion ?? "TLSv1.3",
    ciphers: props.ciphers ?? STRONG_CIPHERS,
    ecdhCurve: props.groups ?? "X25519:P-256:P-384",
    secureOptions: props.resumption === false ? crypto.constants.SSL_OP_NO_TICKET : undefined,
  };
  const respond = (_request: unknown, response: http.ServerResponse | http2.Http2ServerResponse) => {
    response.writeHead(404, { "content-type": "text/plain", ...(props.hsts ? { "strict-transport-security": props.hsts } : {}), ...props.headers });
    response.end("not found\n");
  };
  const server = props.http2 === false ? https.createServer(options, respond) : http2.createSecureServer({ ...options, allowHTTP1: true }, respond);
  return listen(server);
}

/**
 * A TLS front that sends each connection to the server for the name in its ClientHello's SNI (`routes`), or to
 * `fallbackPort` when there is none (SSL 2.0/3.0 hellos carry no SNI), as a load balancer picks a certificate. It lets
 * one `npm run verify` scan several servers, each under its own name, on one HTTPS port.
 */
export function startSniRouter(props: { routes: ReadonlyMap<string, number>; fallbackPort: number }): Promise<Running> {
  const server = net.createServer((client) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const name = clientHelloServerName(buffered);
      if (name === "incomplete") return;
      client.off("data", onData);
      client.pause();
      const port = (name ? props.routes.get(name) : undefined) ?? props.fallbackPort;
      const upstream = net.connect(port, "127.0.0.1", () => {
        upstream.write(buffered);
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
    };
    client.on("data", onData);
    client.on("error", () => client.destroy());
  });
  return listen(server);
}

/** The SNI host name of a TLS ClientHello record; undefined when it has none, "incomplete" until the record is in. */
function clientHelloServerName(record: Buffer): string | undefined | "incomplete" {
  if (record.length < 5) return "incomplete";
  if (record[0] !== 0x16) return undefined; // not a TLS handshake record (an SSL 2.0 hello)
  const length = record.readUInt16BE(3);
  if (record.length < 5 + length) return "incomplete";
  const hello = record.subarray(5, 5 + length);
  // handshake header (4), version (2), random (32), then session id, suites, compression, extensions
  let at = 4 + 2 + 32;
  at += 1 + hello[at];
  at += 2 + hello.readUInt16BE(at);
  at += 1 + hello[at];
  if (at + 2 > hello.length) return undefined;
  const end = at + 2 + hello.readUInt16BE(at);
  for (at += 2; at + 4 <= end; ) {
    const type = hello.readUInt16BE(at);
    const size = hello.readUInt16BE(at + 2);
    if (type === 0) {
      // server_name: list length (2), name type (1), name length (2), name
      const nameLength = hello.readUInt16BE(at + 4 + 3);
      return hello.subarray(at + 4 + 5, at + 4 + 5 + nameLength).toString("ascii").toLowerCase();
    }
    at += 4 + size;
  }
  return undefined;
}

/** What ALB's TLS 1.2+ "Res" policies keep: TLS 1.3 suites and ECDHE with AEAD. */
export const STRONG_CIPHERS = [
  "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
  "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

/** HTTP edge: `respond(host, pathAndQuery)` decides status, headers and body of every request. */
/** How a test HTTP server answers one request. */
export type Responder = (host: string, url: string, method: string) => { status: number; headers?: Record<string, string>; body?: string };

export function startHttp(respond: Responder): Promise<Running> {
  const server = http.createServer((request, response) => {
    const host = (request.headers.host ?? "").replace(/:\d+$/, "");
    const answer = respond(host, request.url ?? "/", request.method ?? "GET");
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  });
  return listen(server);
}

/** What the ALB's redirect does: `status` to https on `httpsPort`, keeping host, path and query. */
export function redirectTo(httpsPort: number, status = 301): Responder {
  return (host: string, url: string) => ({ status, headers: { location: `https://${host}:${httpsPort}${url}` } });
}

/** Forwards the first `answered` connections to `port`, then accepts and stays silent: an edge that stops answering. */
export function startFadingProxy(props: { port: number; answered: number }): Promise<Running> {
  let count = 0;
  const server = net.createServer((client) => {
    client.on("error", () => client.destroy());
    if (++count > props.answered) return;
    const upstream = net.connect(props.port, "127.0.0.1");
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  return listen(server);
}

/** A port that accepts TCP connections and never says a word. */
export function startSilentServer(): Promise<Running> {
  return listen(net.createServer(() => undefined));
}

/** Listens on a free loopback port; close() also ends open connections, so it never waits on a client. */
function listen(server: net.Server): Promise<Running> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // TLS servers also see the raw socket this way; the close handler above covers both.
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            sockets.forEach((socket) => socket.destroy());
            server.close(() => done());
          }),
      }),
    );
  });
}

/** Result of one run of the real CLI. */
export interface VerifyRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node --require tsx/cjs scripts/verify.ts ...args` (what `npm run verify` runs) from the repository root, with
 * `env` over this process's environment.
 */
export function runVerify(args: readonly string[], env: Record<string, string> = {}): Promise<VerifyRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", "scripts/verify.ts", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function openssl(args: readonly string[]): void {
  execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** openssl ca's date format: YYYYMMDDHHMMSSZ (UTC). */
function opensslDate(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").replace(/\.\d{3}Z$/, "Z");
}
