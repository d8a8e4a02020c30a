import { environments } from "../../environments";
import { stackIds } from "../../lib/pipeline/stacks";
import { stackId } from "../../lib";

describe("stack list for the workflow matrix", () => {
  test("lists one stack id per environment in deploy order dev, staging, prod", () => {
    expect(stackIds()).toEqual(environments.map((e) => stackId(e.name)));
    expect(stackIds()).toEqual(["tls-dev", "tls-staging", "tls-prod"]);
  });
});
