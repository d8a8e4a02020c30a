import { z } from "zod";
import { DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA } from "../../aws/quotas";
import { FieldSpec, problem } from "./field";

/** The configured quota, its default when omitted, or undefined when invalid (then no count check repeats the problem). */
export function effectiveMaxLoadBalancerCertificates(raw: unknown): number | undefined {
  if (raw === undefined) return DEFAULT_LOAD_BALANCER_CERTIFICATE_QUOTA;
  return typeof raw === "number" && Number.isInteger(raw) && raw >= 1 ? raw : undefined;
}

/**
 * The certificates the stack lists for SNI (`aws_lb_listener_certificate`): each additional certificate, and with
 * rsaFallback the RSA twin and the EC twin of the default certificate (TlsStack). The listener's default certificate
 * is never listed, and ELB's quota excludes it.
 */
export function sniCertificateCount(raw: Readonly<Record<string, unknown>>): number {
  const additional = Array.isArray(raw.additionalCertificates) ? raw.additionalCertificates.length : 0;
  return additional + (raw.rsaFallback === true ? 2 : 0);
}

/**
 * maxLoadBalancerCertificates: ELB's adjustable quota of non-default certificates per Application Load Balancer,
 * shared by all of its listeners. The stack's own SNI certificates must fit (checked here, whichever field adds them);
 * certificates that other listeners of the same load balancer carry count too, which no configuration here can see.
 */
export const maxLoadBalancerCertificates: FieldSpec<"maxLoadBalancerCertificates"> = {
  schema: z.number().int().optional(),
  rules: (value) =>
    effectiveMaxLoadBalancerCertificates(value) === undefined
      ? [problem("maxLoadBalancerCertificates", value, "must be a whole number of at least 1 (ELB's quota of certificates per load balancer, default 25)")]
      : [],
};

/** The quota problem of the stack's SNI list, reported on the field that adds the certificates (or undefined). */
export function sniQuotaProblem(raw: Readonly<Record<string, unknown>>): string | undefined {
  const quota = effectiveMaxLoadBalancerCertificates(raw.maxLoadBalancerCertificates);
  const count = sniCertificateCount(raw);
  if (quota === undefined || count <= quota) return undefined;
  const additional = Array.isArray(raw.additionalCertificates) ? raw.additionalCertificates.length : 0;
  const parts = [
    ...(additional > 0 ? [`${additional} additional certificate${additional === 1 ? "" : "s"}`] : []),
    ...(raw.rsaFallback === true ? ["the RSA fallback and its EC twin"] : []),
  ];
  return (
    `${parts.join(" and ")} make ${count} SNI certificates, more than the load balancer's quota of ${quota} ` +
    `(maxLoadBalancerCertificates${raw.maxLoadBalancerCertificates === undefined ? ", ELB's default" : ""}; the quota is per load balancer, so certificates of its other listeners count too)`
  );
}
