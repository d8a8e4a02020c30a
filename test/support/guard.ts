import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformStack, Testing } from "cdktf";
import { TlsGuard, TlsGuardError } from "../../lib";

/** A user stack with a provider and the TLS guard, as a team would build one next to ours. */
export function guardedStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "user");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  Aspects.of(stack).add(new TlsGuard());
  return stack;
}

/** The guard's violations when the stack is synthesized, as `<path> [<rule>] <message>`; empty when it passes. */
export function violationsOf(stack: TerraformStack): string[] {
  try {
    Testing.synth(stack);
  } catch (error) {
    if (error instanceof TlsGuardError) return error.violations.map((v) => `${v.path} [${v.rule}] ${v.message}`);
    throw error;
  }
  return [];
}
