import { Testing } from "cdktf";
import { REQUIRED_TERRAFORM_VERSION, TlsStack } from "../../lib";
import { environments } from "../../environments";
import { baseEnvironment } from "../fixtures/environments";

function synthesized(config = baseEnvironment()): any {
  return JSON.parse(Testing.synth(new TlsStack(Testing.app(), `tls-${config.name}`, config)));
}

describe("Terraform settings every stack carries", () => {
  test("every stack requires Terraform >= 1.10, the first with S3-native state locking", () => {
    expect(REQUIRED_TERRAFORM_VERSION).toBe(">= 1.10");
    expect(synthesized().terraform.required_version).toBe(">= 1.10");
    expect(synthesized(baseEnvironment({ stateBackend: { s3: { bucket: "state-bucket" } } })).terraform.required_version).toBe(">= 1.10");
  });

  test.each(environments.map((environment) => [environment.name, environment] as const))(
    "the shipped environment %s requires Terraform >= 1.10",
    (_name, environment) => {
      expect(synthesized(environment).terraform.required_version).toBe(">= 1.10");
    },
  );

  test("an S3 backend always takes the S3 lock file, and a DynamoDB lock only alongside it (the migration period)", () => {
    const plain = synthesized(baseEnvironment({ stateBackend: { s3: { bucket: "state-bucket" } } })).terraform.backend.s3;
    expect(plain.use_lockfile).toBe(true);
    expect(plain).not.toHaveProperty("dynamodb_table");
    const transition = synthesized(baseEnvironment({ stateBackend: { s3: { bucket: "state-bucket", dynamodbTable: "terraform-locks" } } })).terraform
      .backend.s3;
    expect(transition).toMatchObject({ use_lockfile: true, dynamodb_table: "terraform-locks" });
  });
});
