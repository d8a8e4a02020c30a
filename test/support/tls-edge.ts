/**
 * Test harness for the edge verifier: a throwaway CA (openssl CLI), local HTTPS/HTTP servers that play an edge with
 * one defect each, `openssl s_server` for an independent TLS stack, and a runner for the real CLI. Everything binds
 * 127.0.0.1 on a free port and is stopped by `ServerSet.closeAll()` (call it in afterAll).
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
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
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/** A CA made for one test run with `openssl ca`, which (unlike `openssl x509`) can backdate a certificate. */
export class TestCa {
  /** Creates the CA in a fresh temp directory. */
  static create(): TestCa {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-ca-"));
    const ca = new TestCa(dir);
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ca.file("ca.key")]);
    openssl(["req", "-x509", "-new", "-key", ca.file("ca.key"), "-subj", "/CN=tls-edge-verify test CA", "-days", "30",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", ca.caPath]);
    fs.writeFileSync(ca.file("index.txt"), "");
    fs.writeFileSync(ca.file("serial"), "1000\n");
    fs.writeFileSync(
      ca.file("ca.cnf"),
      [
        "[ca]", "default_ca = test", "[test]", `database = ${ca.file("index.txt")}`, `new_certs_dir = ${dir}`,
        `serial = ${ca.file("serial")}`, "default_md = sha256", "policy = any", "unique_subject = no", "[any]", "commonName = supplied",
      ].join("\n") + "\n",
    );
    return ca;
  }

  /** The CA certificate, for `--ca-file`. */
  readonly caPath: string;

  private constructor(private readonly dir: string) {
    this.caPath = this.file("ca.pem");
  }

  /** Issues a server certificate for `names` valid from `notBefore` to `notAfter`. */
  issue(label: string, props: { names: readonly string[]; notBefore: Date; notAfter: Date; keyAlgorithm?: KeyAlgorithm }): IssuedCertificate {
    const keyPath = this.file(`${label}.key`);
    const certPath = this.file(`${label}.pem`);
    const algorithm = props.keyAlgorithm ?? "EC_prime256v1";
    if (algorithm === "RSA_2048") openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyPath]);
    else openssl(["ecparam", "-name", algorithm === "EC_secp384r1" ? "secp384r1" : "prime256v1", "-genkey", "-noout", "-out", keyPath]);
    openssl(["req", "-new", "-key", keyPath, "-subj", `/CN=${props.names[0]}`, "-out", this.file(`${label}.csr`)]);
    fs.writeFileSync(this.file(`${label}.ext`), `subjectAltName=${props.names.map((n) => `DNS:${n}`).join(",")}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
    openssl(["ca", "-batch", "-config", this.file("ca.cnf"), "-cert", this.caPath, "-keyfile", this.file("ca.key"),
      "-in", this.file(`${label}.csr`), "-extfile", this.file(`${label}.ext`),
      "-startdate", opensslDate(props.notBefore), "-enddate", opensslDate(props.notAfter), "-out", certPath]);
    return { cert: fs.readFileSync(certPath, "utf8"), key: fs.readFileSync(keyPath, "utf8"), certPath, keyPath };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }
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

/** HTTPS edge: answers every request 404 (like the stack's fixed response), with `hsts` as its HSTS header if set. */
export function startHttpsEdge(props: {
  certificate: IssuedCertificate;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  hsts?: string;
}): Promise<Running> {
  const server = https.createServer(
    { cert: props.certificate.cert, key: props.certificate.key, minVersion: props.minVersion ?? "TLSv1.2", maxVersion: props.maxVersion ?? "TLSv1.3", ciphers: props.ciphers ?? STRONG_CIPHERS },
    (_request, response) => {
      response.writeHead(404, { "content-type": "text/plain", ...(props.hsts ? { "strict-transport-security": props.hsts } : {}) });
      response.end("not found\n");
    },
  );
  return listen(server);
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

/**
 * A TLS front that sends ClientHellos whose legacy version is below TLS 1.2 (what a TLS 1.0/1.1-only client sends)
 * to `legacyPort` and all others to `modernPort`. It lets a test build an edge whose only defect is an old protocol:
 * a real server that speaks TLS 1.0 needs CBC suites, which it would then also accept under TLS 1.2.
 */
export function startVersionRouter(props: { modernPort: number; legacyPort: number }): Promise<Running> {
  const server = net.createServer((client) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 11) return;
      client.off("data", onData);
      client.pause();
      // Record header (5 bytes), handshake header (4), then client_version: 0x0301 TLS 1.0, 0x0302 TLS 1.1, 0x0303 TLS 1.2+.
      const version = buffered.readUInt16BE(9);
      const upstream = net.connect(version < 0x0303 ? props.legacyPort : props.modernPort, "127.0.0.1", () => {
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

/** `openssl s_server` with `args` on a free loopback port (it prints "ACCEPT 127.0.0.1:<port>" once listening). */
export function startOpenSslServer(args: readonly string[]): Promise<Running> {
  const child: ChildProcess = spawn("openssl", ["s_server", "-accept", "127.0.0.1:0", "-www", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let output = "";
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output);
      if (!match) return;
      child.stdout!.off("data", onOutput);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve({
        port: Number(match[1]),
        close: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    };
    child.stdout!.on("data", onOutput);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`openssl s_server exited (${code}) before listening:\n${output}`)));
    child.once("error", reject);
  });
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

/** Runs `node --require tsx/cjs scripts/verify.ts ...args` (what `npm run verify` runs) from the repository root. */
export function runVerify(args: readonly string[]): Promise<VerifyRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", "scripts/verify.ts", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
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
