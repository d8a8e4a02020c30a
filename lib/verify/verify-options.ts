import * as net from "node:net";

/** The command line of `npm run verify`, parsed. */
export interface VerifyOptions {
  /** Environment name (positional); its certificate names and settings are used. */
  readonly environment?: string;
  /** Extra hosts (`--host`, repeatable). */
  readonly hosts: readonly string[];
  /** Print JSON instead of text (`--json`). */
  readonly json: boolean;
  /** Extra trusted certificates, PEM (`--ca-file`). */
  readonly caFile?: string;
  /** host -> address to connect to instead of resolving the host (`--resolve host:address`, repeatable). */
  readonly resolve: ReadonlyMap<string, string>;
  /** @default 443 */
  readonly httpsPort: number;
  /** @default 80 */
  readonly httpPort: number;
  /** Per connection attempt, seconds. @default 10 */
  readonly timeoutSeconds: number;
  /** Extra attempts when nothing answered. @default 2 */
  readonly retries: number;
  /** The whole TLS scan (sslyze, all hosts at once), seconds. @default 120 */
  readonly scanTimeoutSeconds: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run verify -- [<environment>] [--host <name>]... [--json] [--ca-file <pem>]
                          [--resolve <host>:<address>]... [--https-port <n>] [--http-port <n>]
                          [--timeout <seconds>] [--retries <n>] [--scan-timeout <seconds>]

Checks a live TLS edge from outside. The TLS side is scanned by sslyze (a pinned venv, .venv-verify, provisioned
on first use): SSL 2/3 and TLS 1.0/1.1 refused, TLS 1.2/1.3 accepted, suites (forward secrecy + AES-GCM or
ChaCha20-Poly1305 only), key exchange, Heartbleed, CCS injection, ROBOT, compression, secure renegotiation,
TLS_FALLBACK_SCSV, Extended Master Secret, the certificate (chain, name, key, days to expiry, CA/Browser Forum
validity). Node checks HTTP/2 by ALPN, the HTTP->HTTPS 301 redirect and the HSTS header, and reports the TLS 1.3
handshake time and resumption. Hosts: the environment's non-wildcard certificate names, plus each --host.

  --host <name>              verify this host too (repeatable; the only hosts when no environment is given)
  --json                     print the report as JSON
  --ca-file <pem>            trust these certificates too (system and Node trust stores are always used)
  --resolve <host>:<address> connect to <address> for <host>; SNI, Host and certificate checks keep <host>
  --https-port <n>           HTTPS port (default 443)
  --http-port <n>            HTTP port (default 80)
  --timeout <seconds>        per connection attempt: connect + handshake or whole response (default 10)
  --retries <n>              extra attempts when nothing answered (default 2, 1 s apart)
  --scan-timeout <seconds>   the whole TLS scan, every host at once (default 120)

Exit: 0 every check passed, 1 findings (one FINDING line each), 2 a host answered on neither port,
3 bad command line or configuration.`;

/** A command line that cannot run; lists every problem. */
export class UsageError extends Error {}

export function parseVerifyArgs(argv: readonly string[]): VerifyOptions {
  const problems: string[] = [];
  const hosts: string[] = [];
  const resolve = new Map<string, string>();
  const positionals: string[] = [];
  let json = false;
  let help = false;
  let caFile: string | undefined;
  let httpsPort = 443;
  let httpPort = 80;
  let timeoutSeconds = 10;
  let retries = 2;
  let scanTimeoutSeconds = 120;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) {
        problems.push(`${flag} needs a value`);
        return undefined;
      }
      i++;
      return next;
    };
    const integer = (min: number, max: number): number | undefined => {
      const text = value();
      if (text === undefined) return undefined;
      if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
        problems.push(`${flag} "${text}": must be a whole number from ${min} to ${max}`);
        return undefined;
      }
      return Number(text);
    };
    switch (flag) {
      case "--help":
      case "-h":
        help = true;
        break;
      case "--json":
        json = true;
        break;
      case "--host": {
        const host = value();
        if (host !== undefined) {
          if (!isHostName(host)) problems.push(`--host "${host}": not a host name or IP address`);
          else hosts.push(host.toLowerCase());
        }
        break;
      }
      case "--ca-file":
        caFile = value() ?? caFile;
        break;
      case "--resolve": {
        const spec = value();
        if (spec === undefined) break;
        const colon = spec.indexOf(":");
        const [host, address] = colon > 0 ? [spec.slice(0, colon).toLowerCase(), spec.slice(colon + 1)] : [spec, ""];
        if (colon <= 0 || !isHostName(host) || net.isIP(address.replace(/^\[(.*)\]$/, "$1")) === 0) {
          problems.push(`--resolve "${spec}": must be <host>:<IP address>`);
        } else resolve.set(host, address.replace(/^\[(.*)\]$/, "$1"));
        break;
      }
      case "--https-port":
        httpsPort = integer(1, 65535) ?? httpsPort;
        break;
      case "--http-port":
        httpPort = integer(1, 65535) ?? httpPort;
        break;
      case "--timeout":
        timeoutSeconds = integer(1, 120) ?? timeoutSeconds;
        break;
      case "--retries":
        retries = integer(0, 5) ?? retries;
        break;
      case "--scan-timeout":
        scanTimeoutSeconds = integer(1, 3600) ?? scanTimeoutSeconds;
        break;
      default:
        if (arg.startsWith("-")) problems.push(`unknown option ${flag}`);
        else positionals.push(arg);
    }
  }
  if (positionals.length > 1) problems.push(`at most one environment, got ${positionals.join(", ")}`);
  if (!help && positionals.length === 0 && hosts.length === 0) problems.push("name an environment or at least one --host");
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return { environment: positionals[0], hosts, json, caFile, resolve, httpsPort, httpPort, timeoutSeconds, retries, scanTimeoutSeconds, help };
}

function isHostName(value: string): boolean {
  return net.isIP(value) !== 0 || /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value);
}
