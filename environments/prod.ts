import { EnvironmentConfig } from "../lib";

/** Production: the apex, its wildcard and an API name with its wildcard; S3 state with a DynamoDB lock table too. */
export const prod: EnvironmentConfig = {
  name: "prod",
  region: "us-east-1",
  accountId: "333333333333",
  domainName: "example.com",
  subjectAlternativeNames: ["*.example.com", "api.example.com", "*.api.example.com"],
  hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ" },
  loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:333333333333:loadbalancer/app/edge-prod/a1b2c3d4e5f60718",
  targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:333333333333:targetgroup/web-prod/0a1b2c3d4e5f6071",
  tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  validationTimeout: "45m",
  stateBackend: {
    s3: {
      bucket: "example-terraform-state-prod",
      key: "tls-edge/prod/terraform.tfstate",
      region: "us-east-1",
      dynamodbTable: "terraform-locks",
    },
  },
  tags: { owner: "platform", "cost-center": "edge" },
  // Deployed by the pipeline: the tls-bootstrap stack creates the alarm topic and its KMS key (the deploy role may not).
  expiryAlarm: { topic: "bootstrap", email: "tls-alerts@example.com" },
};
