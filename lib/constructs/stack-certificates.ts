import { IConstruct } from "constructs";
import { DnsValidatedCertificate } from "./dns-validated-certificate";

/**
 * Every `DnsValidatedCertificate` below `scope`, in construction order: the one place that says which certificates a
 * stack has, so the CAA records and the expiry alarms cover each certificate however it was added (the default one,
 * an RSA fallback, additional SNI certificates).
 */
export function certificatesIn(scope: IConstruct): DnsValidatedCertificate[] {
  return scope.node.findAll().filter((child): child is DnsValidatedCertificate => child instanceof DnsValidatedCertificate);
}

/** Every name of every certificate below `scope`, each once, in order of first appearance. */
export function certificateNamesIn(scope: IConstruct): string[] {
  return [...new Set(certificatesIn(scope).flatMap((certificate) => certificate.names))];
}
