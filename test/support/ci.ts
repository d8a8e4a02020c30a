/** True when running in CI: `CI` is set to anything but "", "0" or "false". Tests that would skip must fail there. */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci.toLowerCase() !== "false" && ci !== "0";
}
