import { BootstrapConfig } from "../lib/bootstrap/bootstrap-stack";
import { staging } from "../environments/staging";

/**
 * The account `npm run bootstrap:synth` prepares for the pipeline: its state bucket, the GitHub OIDC provider and the
 * plan/deploy roles of the environments deployed into it. One account per run: to bootstrap another, change this
 * file (accountId, region, bucket, the environments in that account) and synthesize again.
 *
 * Shipped for the staging account: staging's state already names this bucket (environments/staging.ts).
 */
export const bootstrap: BootstrapConfig = {
  accountId: "222222222222",
  region: "eu-west-1",
  stateBucketName: "example-terraform-state-staging",
  githubRepository: "example-org/tls-edge-stack",
  environments: [staging],
};
