import { EnvironmentConfig } from "../environment-config";
import { accountId } from "./account-id";
import { domainName } from "./domain-name";
import { existingListeners } from "./existing-listeners";
import { FieldSpec } from "./field";
import { hostedZones } from "./hosted-zones";
import { keyAlgorithm } from "./key-algorithm";
import { loadBalancerArn } from "./load-balancer-arn";
import { maxCertificateNames } from "./max-certificate-names";
import { name } from "./name";
import { region } from "./region";
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
  tlsPolicy,
  keyAlgorithm,
  validationTimeout,
  stateBackend,
};
