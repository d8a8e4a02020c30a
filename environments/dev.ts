import { EnvironmentConfig } from "../lib";

/** Development: defaults everywhere (wildcard SAN, TLS policy, key algorithm), a fixed 404 until a service exists. */
export const dev: EnvironmentConfig = {
  name: "dev",
  region: "us-east-1",
  accountId: "111111111111",
  domainName: "dev.example.com",
  hostedZones: { "example.com": "Z0123456789ABCDEFGHIJ" },
  loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/edge-dev/50dc6c495c0c9188",
  tags: { owner: "platform" },
};
