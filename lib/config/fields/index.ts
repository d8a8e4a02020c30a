import { EnvironmentConfig } from "../environment-config";
import { accountId } from "./account-id";
import { additionalCertificates } from "./additional-certificates";
import { domainName } from "./domain-name";
import { existingListeners } from "./existing-listeners";
import { caa } from "./caa";
import { dnsReadRoleArn } from "./dns-read-role-arn";
import { dnsRoleArn } from "./dns-role-arn";
import { expiryAlarm } from "./expiry-alarm";
import { FieldSpec } from "./field";
import { hostedZones } from "./hosted-zones";
import { hsts } from "./hsts";
import { keyAlgorithm } from "./key-algorithm";
import { loadBalancerArn } from "./load-balancer-arn";
import { maxCertificateNames } from "./max-certificate-names";
import { maxLoadBalancerCertificates } from "./max-load-balancer-certificates";
import { mutualTls } from "./mutual-tls";
import { name } from "./name";
import { region } from "./region";
import { rsaFallback } from "./rsa-fallback";
import { securityHeaders } from "./security-headers";
import { stateBackend } from "./state-backend";
import { subjectAlternativeNames } from "./subject-alternative-names";
import { tags } from "./tags";
import { targetGroupArn } from "./target-group-arn";
import { tlsPolicy } from "./tls-policy";
import { validationTimeout } from "./validation-timeout";

export type { FieldProblem, FieldSpec, ValidationContext } from "./field";

/**
 * Every field of `EnvironmentConfig` and where its rules live: one file per field in this directory. The type makes
 * a field without a spec a compile error. Problems are reported in this order.
 */
export const FIELDS: { readonly [K in keyof EnvironmentConfig]-?: FieldSpec<K> } = {
  name,
  region,
  accountId,
  tags,
  hostedZones,
  domainName,
  subjectAlternativeNames,
  maxCertificateNames,
  loadBalancerArn,
  targetGroupArn,
  existingListeners,
  caa,
  expiryAlarm,
  dnsRoleArn,
  dnsReadRoleArn,
  tlsPolicy,
  keyAlgorithm,
  validationTimeout,
  hsts,
  securityHeaders,
  additionalCertificates,
  rsaFallback,
  maxLoadBalancerCertificates,
  mutualTls,
  stateBackend,
};
