/**
 * `npm run --silent stacks`: the stack ids as a JSON array, in environments/index.ts order (dev, staging, prod), so
 * the workflow's matrix and its deploy order follow the one list main.ts synthesizes.
 */
import { environments } from "../../environments";
import { stackId } from "../tls-stack";

export function stackIds(): string[] {
  return environments.map((environment) => stackId(environment.name));
}

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(stackIds())}\n`);
}
