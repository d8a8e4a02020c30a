import { EnvironmentConfig } from "../lib";

/** Staging: its own delegated zone, an API name with its own wildcard, forwarding to a target group, S3 state. */
export const staging: EnvironmentConfig = {
  name: "staging",
  region: "eu-west-1",
  accountId: "222222222222",
  domainName: "staging.example.com",
  subjectAlternativeNames: ["*.staging.example.com", "api.staging.example.com", "*.api.staging.example.com"],
  hostedZones: {
    "example.com": "Z0123456789ABCDEFGHIJ",
    "staging.example.com": "Z0STAGING00000000000",
  },
  loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/edge-staging/6d0ecf831eec9f09",
  targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:222222222222:targetgroup/web-staging/73e2d6bc24d8a067",
  keyAlgorithm: "EC_secp384r1",
  stateBackend: { s3: { bucket: "example-terraform-state-staging" } },
  // Deployed by the pipeline: the tls-bootstrap stack creates the alarm topic and its KMS key (the deploy role may not).
  expiryAlarm: { topic: "bootstrap" },
  tags: { owner: "platform" },
};
