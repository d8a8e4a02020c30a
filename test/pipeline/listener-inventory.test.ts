/**
 * The listener inventory's failures are errors, never an empty inventory: the real AWS SDK clients, pointed at a
 * loopback port where nothing listens, or left without credentials. (What it reads from a working API is proven on
 * the emulator, test/pipeline/adopted-listeners.emulator.test.ts.)
 */
import * as net from "net";
import { AdoptedListener } from "../../lib/guard/adopted-listeners";
import { InventoryError, inventoryListeners } from "../../lib/pipeline/listener-inventory";

const LISTENER: AdoptedListener = {
  address: "aws_lb_listener.http",
  arn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/edge/50dc6c495c0c9188/1111111111111111",
  protocol: "HTTP",
  importing: true,
};

/** A loopback port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("inventoryListeners", () => {
  test("reads nothing and asks for nothing when the stack adopts no listener", async () => {
    await expect(inventoryListeners([])).resolves.toEqual([]);
  });

  test("an API that cannot be reached is an error naming the call, the listener and the permissions it needs", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const run = inventoryListeners([LISTENER], { clientConfig: { endpoint, maxAttempts: 1, credentials: { accessKeyId: "test", secretAccessKey: "test" } } });
    await expect(run).rejects.toThrow(InventoryError);
    await expect(run).rejects.toThrow(
      new RegExp(
        `^elasticloadbalancing:DescribeRules for aws_lb_listener\\.http \\(${LISTENER.arn.replace(/[./]/g, "\\$&")}\\) failed: Error: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\. ` +
          "adopted listeners are read with the caller's AWS credentials, which need elasticloadbalancing:DescribeRules, elasticloadbalancing:DescribeListenerCertificates and acm:DescribeCertificate",
      ),
    );
  });

  test("no credentials is an error, not an empty inventory", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const run = inventoryListeners([LISTENER], { clientConfig: { endpoint, maxAttempts: 1, profile: "tls-edge-test-no-such-profile" } });
    await expect(run).rejects.toThrow(/^elasticloadbalancing:DescribeRules for aws_lb_listener\.http \(.*\) failed: CredentialsProviderError: /);
  });
});
