import * as fs from "node:fs";
import * as tls from "node:tls";

/**
 * The certificates a chain may end in: Node's bundled Mozilla roots, the operating system's bundle, and `--ca-file`.
 * Passing `ca` to Node replaces its roots, so all three are listed explicitly.
 */
export interface TrustStore {
  /** PEM texts (a text may hold several certificates). */
  readonly pems: readonly string[];
  /** Where they came from, for the report. */
  readonly sources: readonly string[];
  /** `--ca-file`, when given. */
  readonly caFile?: string;
}

/** System bundles by platform (Debian/Ubuntu, RHEL/Fedora, Alpine/macOS/BSD); `SSL_CERT_FILE` wins when set. */
const SYSTEM_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Loads the trust store; throws with the path when `caFile` cannot be read or holds no certificate. */
export function loadTrustStore(caFile?: string): TrustStore {
  const pems: string[] = [...tls.rootCertificates];
  const sources = [`Node's bundled roots (${tls.rootCertificates.length})`];
  // Node >= 22.15 reads the system store itself; older Node gets the usual bundle file.
  const getCa = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (getCa) {
    pems.push(...getCa("system"));
    sources.push("the system store");
  } else {
    const bundle = [process.env.SSL_CERT_FILE, ...SYSTEM_BUNDLES].find((path) => path && fs.existsSync(path));
    if (bundle) {
      pems.push(fs.readFileSync(bundle, "utf8"));
      sources.push(bundle);
    }
  }
  if (caFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(caFile, "utf8");
    } catch (error) {
      throw new Error(`--ca-file ${caFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    if (splitPem(text).length === 0) throw new Error(`--ca-file ${caFile}: no PEM certificate in it`);
    pems.push(text);
    sources.push(caFile);
  }
  return { pems, sources, caFile };
}

/** The individual certificates of PEM texts. */
export function splitPem(...texts: readonly string[]): string[] {
  return texts.flatMap((text) => text.match(PEM_CERTIFICATE) ?? []);
}
