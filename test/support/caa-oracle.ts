/**
 * What the CAA sets of a stack must be, worked out from the certificates the stack actually requests (synthesized or
 * planned `aws_acm_certificate` names), independently of lib/constructs/caa-records.ts: per zone apex a name falls under (longest
 * suffix), `0 issue` per issuer, `0 issuewild` per issuer when one of those names is a wildcard, then `0 iodef`.
 */
export function expectedCaaSets(
  certificateNames: readonly string[],
  hostedZones: Readonly<Record<string, string>>,
  issuers: readonly string[],
  iodef: string | undefined,
): Record<string, { zoneId: string; records: string[] }> {
  const wildcardByApex = new Map<string, boolean>();
  for (const name of certificateNames) {
    const bare = name.replace(/^\*\./, "");
    const apex = Object.keys(hostedZones)
      .filter((zone) => bare === zone || bare.endsWith(`.${zone}`))
      .sort((a, b) => b.length - a.length)[0];
    if (apex === undefined) throw new Error(`${name} is in no zone`);
    wildcardByApex.set(apex, (wildcardByApex.get(apex) ?? false) || name.startsWith("*."));
  }
  return Object.fromEntries(
    [...wildcardByApex.entries()].map(([apex, wildcard]) => [
      apex,
      {
        zoneId: hostedZones[apex],
        records: [
          ...issuers.map((i) => `0 issue "${i}"`),
          ...(wildcard ? issuers.map((i) => `0 issuewild "${i}"`) : []),
          ...(iodef === undefined ? [] : [`0 iodef "${iodef}"`]),
        ],
      },
    ]),
  );
}
